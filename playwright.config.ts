import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from './scripts/lib/chromium';

/**
 * End-to-end suite against the production build, started the way the README says: `npm start` builds the
 * app when it is stale, migrates and seeds a fresh embedded database, then serves it. Playwright cannot
 * download browsers on every machine we run on, so it drives a system Chromium (Debian's by default).
 */
/**
 * The stack's ports. Overridable (E2E_PORT, E2E_LOCAL_CHAIN_PORT and FLEET_CONTROL_PORT), so a second
 * checkout can run its suite beside this one.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
process.env.E2E_LOCAL_CHAIN_PORT ??= '8645';
const baseURL = `http://localhost:${PORT}`;
const DATA_DIR = '.data/e2e';
/** The simulated fleet's control endpoint for this stack (the jobs spec kills a node through it). */
export const E2E_FLEET_CONTROL_PORT = '8647';
process.env.FLEET_CONTROL_PORT ??= E2E_FLEET_CONTROL_PORT;
// A render job of about 40 s of work on an H100: long enough to checkpoint and fail over, short for CI.
process.env.E2E_RENDER_FRAMES ??= '8';
/**
 * Incentive epochs of a minute (the shortest allowed), starting at the minute the suite starts: the supplier
 * spec's new node earns its first incentives within a couple of minutes, and the closer never has months of
 * epochs to catch up on.
 */
const INCENTIVE_EPOCH_MS = 60_000;
const incentiveGenesis = new Date(
  Math.floor(Date.now() / INCENTIVE_EPOCH_MS) * INCENTIVE_EPOCH_MS,
).toISOString();

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: { executablePath: chromiumPath, args: CHROMIUM_FLAGS },
};

/**
 * Specs that move money or run work: wallets deposit, a job runs and loses its host, a new node joins the
 * market and is paid, an agent installed without a checkout runs a job, a caught node's customer is refunded. Each uses its own development accounts and its own node, and most of their time is
 * spent waiting on blocks, heartbeats and incentive epochs, so they run side by side, after the rest.
 */
const TRANSACTING_SPECS = /\/(billing|cli|data-plane|installer|jobs|remedies|supplier)\.spec\.ts$/;
/** The production topology as separate processes (its own database, chain and load balancer): last, alone. */
const DEPLOY_SPEC = /\/deploy\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  // Three workers at most, and only for the transacting specs (see projects).
  workers: 3,
  forbidOnly: !!process.env.CI,
  // No retries, in CI either: a spec that passes only on a second try is a bug to fix, not to hide (a busy
  // machine must not decide a verdict; see docs/verification.md).
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  projects: [
    // The stack's first start finishes (its simulated history) before any spec runs: e2e/stack.setup.ts.
    { name: 'stack', testMatch: /stack\.setup\.ts$/ },
    {
      // The pages, one browser at a time: on small CI machines parallel browsers only fight over the CPU
      // (and a starved fleet misses heartbeats, which changes the market these specs compare with the API).
      name: 'chromium',
      testIgnore: [TRANSACTING_SPECS, DEPLOY_SPEC],
      dependencies: ['stack'],
      workers: 1,
      use: chromium,
    },
    {
      // Then the transacting specs, side by side. They run after the pages because they change what the
      // market and the home page show (a node is killed, another joins, GPUs are leased). Running one of
      // them alone: `npx playwright test --no-deps e2e/jobs.spec.ts` once a stack is up, or without
      // --no-deps to let the setup run first.
      name: 'chromium-transacting',
      testMatch: TRANSACTING_SPECS,
      dependencies: ['chromium'],
      use: chromium,
    },
    {
      // Two web instances, two workers and nginx on a PostgreSQL server of their own, with real agents: a web
      // instance and a worker are killed mid-run (docs/deploy.md). It needs no browser, only the build the stack
      // made; it runs after everything else so its processes do not compete with the specs above.
      name: 'deploy',
      testMatch: DEPLOY_SPEC,
      dependencies: ['chromium-transacting'],
    },
  ],
  // E2E_NO_STACK=1 runs specs that bring their own servers (the deploy spec) without starting the demo stack.
  webServer: process.env.E2E_NO_STACK
    ? undefined
    : {
        // A fresh demo network every run, so the suite sees exactly what `npm start` gives a new user.
        command: `rm -rf ${DATA_DIR} && npm start`,
        url: `${baseURL}/api/v1/offers/summary`,
        // Its own chain port, so the suite can run beside a developer's `npm start`.
        env: {
          PORT: String(PORT),
          DATA_DIR,
          LOCAL_CHAIN_PORT: process.env.E2E_LOCAL_CHAIN_PORT,
          FLEET_CONTROL_PORT: process.env.FLEET_CONTROL_PORT,
          // A shorter lost-after window keeps the failover test quick; no demo demand, so the suite's own jobs
          // are the only ones competing for GPUs.
          NODE_LOST_AFTER_MS: '12000',
          // 150 demo nodes instead of 300: the same generator and seed, still several pages of offers, and half
          // the heartbeat load on the two-core machines the suite runs on.
          DEMO_NODES: '150',
          DEMO_DEMAND: 'false',
          // The default history (13 whole months and the days since): the first-start spec checks a new user gets
          // all of it within three minutes, and the pages and the API agree about one network. What the history
          // leaves running at its end is cancelled rather than handed to the live queue, so the suite's own jobs
          // are the only ones competing for GPUs (and the market specs see its offers free).
          DEMO_HISTORY_HANDOVER: 'false',
          // A fifteen-second benchmark: the supplier spec's new node is verified soon after registering. Not
          // shorter: the pass band is 15 % below the reference, and the answer's trip back over a heartbeat is
          // part of the time measured. At 5 s that left under a second of slack, and with the transacting specs
          // side by side on two cores the node sometimes failed its benchmark.
          BENCHMARK_REFERENCE_MS: '15000',
          // Development-size GPU proofs (what the demo network uses anyway): the suite's real agents have no GPU and
          // answer with the development CPU path (--benchmark cpu), paced to the declared model.
          GPU_PROOF_SIZE: 'development',
          INCENTIVE_EPOCH_MS: String(INCENTIVE_EPOCH_MS),
          INCENTIVE_GENESIS: incentiveGenesis,
          NEXT_TELEMETRY_DISABLED: '1',
        },
        // The first run may build the app before it serves.
        timeout: 240_000,
        reuseExistingServer: !process.env.CI,
        stdout: 'pipe',
        stderr: 'pipe',
        // The start supervisor forwards SIGTERM to `next start` and exits once it has stopped.
        gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      },
});
