#!/usr/bin/env bash
# Playwright cannot download its own browser here, so the e2e suite runs Debian's Chromium. Install it
# when missing (as root, through apt); otherwise say exactly what to install.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "• installing Chromium and fonts for the browser tests (apt)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "Chromium not found at $CHROMIUM. Install it (Debian: apt-get install chromium fonts-dejavu-core)" >&2
echo "or set CHROMIUM_PATH to a Chromium binary." >&2
exit 1
