#!/usr/bin/env bash
# The deployment spec (e2e/deploy.spec.ts) puts Debian's nginx in front of two web instances, as the production
# recipe does (deploy/nginx.conf). Install it when missing (as root, through apt); otherwise say what to install.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "• installing nginx for the deployment test (apt)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  # Only the binary is wanted: the package's own service must not hold port 80.
  if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
  pkill -x nginx 2>/dev/null || true
  exit 0
fi
echo "nginx not found. Install it (Debian: apt-get install --no-install-recommends nginx-light)." >&2
exit 1
