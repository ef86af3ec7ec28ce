/**
 * The system Chromium every browser tool here drives (Playwright, Lighthouse, the live-updates benchmark):
 * Debian's by default, CHROMIUM_PATH to use another.
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless in a container, and quiet: without the background-networking flags it calls home on a closed network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
