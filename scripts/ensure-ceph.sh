#!/usr/bin/env bash
# The S3 store's tests run against Ceph's RADOS Gateway (Debian's radosgw), started by the suite itself
# (lib/testing/s3-server.ts). Install it when missing (as root, through apt); otherwise say what to install.
set -euo pipefail
if command -v radosgw >/dev/null && command -v ceph-osd >/dev/null && command -v ceph-mon >/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "• installing Ceph's S3 gateway for the storage tests (apt)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw >/dev/null
  exit 0
fi
echo "Ceph's S3 gateway not found. Install it (Debian: apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)" >&2
echo "or point the tests at an S3 server: TEST_S3_ENDPOINT, TEST_S3_BUCKET, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY." >&2
exit 1
