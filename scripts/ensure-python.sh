#!/usr/bin/env bash
# The Python package (clients/python) is tested with Python 3.9 or later: its unit tests run in the unit suite
# and e2e/cli.spec.ts drives it against the running stack. Install Debian's python3 when it is missing (as root,
# through apt); otherwise say what to install.
set -euo pipefail
if command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "• installing python3 for the Python package's tests (apt)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 >/dev/null
  exit 0
fi
echo "python3 (3.9 or later) not found. Install it (Debian: apt-get install --no-install-recommends python3)." >&2
exit 1
