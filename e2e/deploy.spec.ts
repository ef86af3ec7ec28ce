import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { sseMessages } from '@/lib/testing/sse';
import { ensureLocalUsdc, startAnvil, startIntervalMining, type LocalChain } from '@/lib/chain/local-chain';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { startPostgresServer, type PostgresServer } from '@/lib/testing/embedded-postgres';
import { freePort } from '@/lib/testing/free-port';
import { AgentRun, captureOutput, REPO_ROOT } from './support/agent-run';
import { newCustomer } from './support/new-customer';
import { countingWorkload } from './support/counting-workload';

/**
 * The production topology of deploy/compose.yaml, as separate processes on loopback: a real PostgreSQL server,
 * `npm run migrate` as its own step, two web instances (`scripts/serve.ts`, EMBEDDED_WORKER=false), two
 * workers (`scripts/worker.ts`), Debian's nginx in front with the shipped deploy/nginx.conf (addresses instead
 * of Docker's names), a local chain, and two real agents. A customer deposits and runs jobs through the load
 * balancer while a live event stream follows each job. Mid-run one web instance and one worker are killed
 * (SIGKILL: no chance to clean up); later the replacement web instance takes over while the other drains on
 * SIGTERM. No job is lost or charged twice, every stream resumes on the other instance and misses no event,
 * and the surviving worker runs every loop the killed one ran.
 *
 * It needs the production build (`npm run build`; the suite's stack builds it) and nginx
 * (scripts/ensure-nginx.sh). Run alone, with a build: `E2E_NO_STACK=1 npx playwright test --project deploy --no-deps`.
 */

const NODE = process.execPath;
const JOBS = 4;
const WORK_UNITS = 30;
/** Counts to the job's work, half a second a unit: 15 s of work per job, two jobs at a time on two nodes. */
const WORKLOAD = countingWorkload('counted across the topology');

interface Service {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** A service as its own node process (no wrapper in between, so a signal reaches it and nothing else). */
function startService(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Service {
  const child = spawn(NODE, ['--import', 'tsx', path.join('scripts', script), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, output: captureOutput(child, name), exited };
}

async function waitForOk(url: string, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** deploy/nginx.conf with loopback addresses for Docker's names, its own port, pid file and an upstream header. */
function nginxConfig(dir: string, port: number, webPorts: number[]): string {
  let conf = readFileSync(path.join(REPO_ROOT, 'deploy', 'nginx.conf'), 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  conf = conf.replace(/^\s*resolver .*$/m, '');
  webPorts.forEach((webPort, i) => {
    conf = conf.replace(new RegExp(`server web-${i + 1}:3000 resolve`), `server 127.0.0.1:${webPort}`);
  });
  conf = conf
    .replace(/listen 80;/, `listen 127.0.0.1:${port};\n        add_header X-Upstream $upstream_addr always;`)
    .replace(/^pid .*$/m, `pid ${path.join(dir, 'nginx.pid')};`)
    .replace(/access_log \/dev\/stdout upstream;/, `access_log ${path.join(dir, 'access.log')} upstream;`);
  if (/web-\d:3000|resolver/.test(conf)) throw new Error('deploy/nginx.conf changed shape; update this spec');
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, process.getuid?.() === 0 ? `user root;\n${conf}` : conf);
  return file;
}

interface StreamEvent {
  id: number;
  type: string;
}

/**
 * An EventSource as a browser runs it: on the stream's end or a network error it waits the server's `retry`
 * and reconnects with Last-Event-ID. Records every event and which instance served each connection.
 */
class EventStreamClient {
  readonly events: StreamEvent[] = [];
  readonly upstreams: string[] = [];
  reconnects = 0;
  private stopped = false;
  private controller: AbortController | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    let retryMs = 2_000;
    while (!this.stopped) {
      this.controller = new AbortController();
      const last = this.events.at(-1)?.id;
      try {
        const response = await fetch(this.url, {
          headers: {
            authorization: `Bearer ${this.key}`,
            accept: 'text/event-stream',
            ...(last ? { 'last-event-id': String(last) } : {}),
          },
          signal: this.controller.signal,
        });
        if (response.ok && response.body) {
          this.upstreams.push(response.headers.get('x-upstream') ?? '?');
          for await (const message of sseMessages(response.body)) {
            if (message.retry !== null) retryMs = message.retry;
            if (message.id !== null && message.event)
              this.events.push({ id: message.id, type: message.event });
          }
        } else {
          await response.body?.cancel();
        }
      } catch {
        // The instance went away mid-stream, or the client was stopped.
      }
      if (this.stopped) return;
      this.reconnects++;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    return this.done;
  }
}

test.describe('deployment: two web instances, two workers, a load balancer', () => {
  const services: Service[] = [];
  const agents: AgentRun[] = [];
  const streams: EventStreamClient[] = [];
  let postgres: PostgresServer | null = null;
  let chain: LocalChain | null = null;
  let nginx: ChildProcess | null = null;
  let nginxOutput: string[] = [];
  let api: APIRequestContext | null = null;
  let work = '';

  test.afterEach(async ({}, testInfo) => {
    await Promise.all(streams.map((s) => s.stop()));
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const service of services)
        console.log(`--- ${service.name} ---\n${service.output.slice(-80).join('\n')}`);
      for (const [i, agent] of agents.entries())
        console.log(`--- agent ${i + 1} ---\n${agent.output.slice(-40).join('\n')}`);
      console.log(`--- nginx ---\n${nginxOutput.join('\n')}`);
    }
    await Promise.all(agents.map((agent) => agent.stop()));
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGKILL');
    nginx?.kill('SIGTERM');
    await api?.dispose();
    await chain?.stop();
    await postgres?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a web instance and a worker die mid-run: nothing lost, nothing charged twice, streams resume', async () => {
    test.setTimeout(420_000);
    if (!existsSync(path.join(REPO_ROOT, '.next', 'BUILD_ID')))
      throw new Error('no production build: run npm run build (the suite’s stack builds it)');
    const nginxBin = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((bin) => existsSync(bin));
    if (!nginxBin) throw new Error('nginx is missing: bash scripts/ensure-nginx.sh');

    work = mkdtempSync(path.join(os.tmpdir(), 'backfill-deploy-'));
    postgres = await startPostgresServer();
    chain = await startAnvil({ port: await freePort() });
    const usdc = await ensureLocalUsdc(chain.rpcUrl);
    await startIntervalMining(chain.rpcUrl, 1);
    const [lbPort, web1Port, web2Port] = [await freePort(), await freePort(), await freePort()];
    const origin = `http://127.0.0.1:${lbPort}`;
    const dataDir = path.join(work, 'shared-data');
    mkdirSync(dataDir);
    // What every instance shares (docs/deploy.md): one database, one set of keys, one public origin.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '5',
      DATA_DIR: dataDir,
      DEMO_NETWORK: 'false',
      EMBEDDED_WORKER: 'false',
      RECEIPT_SIGNING_KEY: `0x${randomBytes(32).toString('hex')}`,
      STORAGE_SIGNING_KEY: randomBytes(32).toString('hex'),
      APP_ORIGIN: origin,
      TRUST_PROXY: 'true',
      CHAIN_RPC_URL: chain.rpcUrl,
      CHAIN_ID: '31337',
      USDC_ADDRESS: usdc,
      NODE_LOST_AFTER_MS: '15000',
      GPU_PROOF_SIZE: 'development',
      BENCHMARK_REFERENCE_MS: '15000',
      CANARY_RATE: '0',
      SHUTDOWN_TIMEOUT_MS: '10000',
    };

    await test.step('migrations run as their own step; web and workers refuse an unsafe configuration', async () => {
      const unsafe = { ...env };
      delete unsafe.RECEIPT_SIGNING_KEY;
      delete unsafe.APP_ORIGIN;
      const refused = startService('web-unsafe', 'serve.ts', ['--port', String(await freePort())], unsafe);
      expect(await refused.exited).toBe(1);
      expect(refused.output.join('\n')).toMatch(/without RECEIPT_SIGNING_KEY, APP_ORIGIN/);
      const early = startService('worker-early', 'worker.ts', [], env);
      expect(await early.exited).toBe(1);
      expect(early.output.join('\n')).toMatch(/migrations are not applied .* run npm run migrate first/);

      const migrate = startService('migrate', 'migrate.ts', [], env);
      expect(await migrate.exited, migrate.output.join('\n')).toBe(0);
    });

    const web = (name: string, port: number) =>
      startService(name, 'serve.ts', ['--port', String(port), '--hostname', '127.0.0.1'], env);
    let web1 = web('web-1', web1Port);
    const web2 = web('web-2', web2Port);
    const worker1 = startService('worker-1', 'worker.ts', [], env);
    const worker2 = startService('worker-2', 'worker.ts', [], env);
    services.push(web1, web2, worker1, worker2);
    mkdirSync(path.join(work, 'nginx', 'logs'), { recursive: true });
    nginx = spawn(
      nginxBin,
      [
        '-p',
        path.join(work, 'nginx'),
        '-e',
        path.join(work, 'nginx', 'error.log'),
        '-c',
        nginxConfig(path.join(work, 'nginx'), lbPort, [web1Port, web2Port]),
        '-g',
        'daemon off;',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    nginxOutput = captureOutput(nginx, 'nginx');

    await test.step('both instances and the load balancer become ready', async () => {
      await waitForOk(`http://127.0.0.1:${web1Port}/api/v1/health/ready`, 'web-1');
      await waitForOk(`http://127.0.0.1:${web2Port}/api/v1/health/ready`, 'web-2');
      await waitForOk(`${origin}/api/v1/health/ready`, 'the load balancer');
    });

    api = await playwrightRequest.newContext({ baseURL: origin });
    const request = api;
    // Signed in through the load balancer; the deposit is credited by whichever worker watches the chain.
    const key = await newCustomer(request, origin, chain.rpcUrl);
    const auth = { authorization: `Bearer ${key}` };

    const agentWork = path.join(work, 'agents');
    for (const name of ['agent-a', 'agent-b']) {
      const token = await request.post('/api/v1/nodes/registration-tokens', { headers: auth, data: {} });
      expect(token.status(), await token.text()).toBe(201);
      const { registrationToken } = (await token.json()) as { registrationToken: string };
      agents.push(
        await AgentRun.startProcessSupplier({
          api: origin,
          registrationToken,
          region: 'eu-west',
          price: '1',
          stateDir: path.join(agentWork, name),
        }),
      );
    }

    const jobIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const launched = await request.post('/api/v1/jobs', {
        headers: { ...auth, 'idempotency-key': `deploy-${i}-${Date.now()}` },
        data: {
          name: `deploy e2e ${i + 1}`,
          template: 'custom',
          image: 'node:20-slim',
          command: ['node', '-e', WORKLOAD],
          workUnits: WORK_UNITS,
          requirements: { gpuModels: ['l4-24gb'], gpuCount: 1 },
          budgetMicros: '1000000',
        },
      });
      expect(launched.status(), await launched.text()).toBe(201);
      const { id } = (await launched.json()) as { id: string };
      jobIds.push(id);
      streams.push(new EventStreamClient(`${origin}/api/v1/jobs/${id}/stream`, key));
    }
    const job = async (id: string) => {
      const response = await request.get(`/api/v1/jobs/${id}`, { headers: auth });
      if (!response.ok())
        throw new Error(`GET /api/v1/jobs/${id}: ${response.status()} ${await response.text()}`);
      return (await response.json()) as JobDetailView;
    };
    /** For polls across a restart: a refused request (none should be, once both sides are up) is a retry. */
    const jobOrNull = (id: string) => job(id).catch(() => null);

    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    try {
      await test.step('mid-run, one web instance and one worker are killed outright', async () => {
        await expect
          .poll(
            async () => (await Promise.all(jobIds.map(jobOrNull))).some((j) => (j?.progressUnits ?? 0) >= 3),
            {
              timeout: 150_000,
              intervals: [500],
              message: 'a job is under way',
            },
          )
          .toBe(true);
        const worker2Id = `${os.hostname()}:${worker2.child.pid}`;
        web1.child.kill('SIGKILL');
        worker1.child.kill('SIGKILL');
        const killedAt = new Date();
        await Promise.all([web1.exited, worker1.exited]);

        // The surviving worker runs every frequent loop (scheduling and liveness, deposits, payouts) from its
        // next tick on; runs are recorded at most every 5 s, so this looks a little later.
        await expect
          .poll(
            async () => {
              const { rows } = await db.query<{ name: string; worker_id: string; fresh: boolean }>(
                `select name, worker_id, last_success_at > $1 as fresh from worker_loops
                  where interval_ms <= 3000 order by name`,
                [killedAt],
              );
              return rows.map(
                (r) => `${r.name}: ${r.fresh && r.worker_id === worker2Id ? 'taken over' : 'not yet'}`,
              );
            },
            { timeout: 20_000, intervals: [500], message: 'the surviving worker runs the frequent loops' },
          )
          .toEqual(['deposit-watch: taken over', 'orchestration: taken over', 'payouts: taken over']);
      });

      await test.step('a replacement instance starts; the other drains on SIGTERM and exits in time', async () => {
        web1 = web('web-1b', web1Port);
        services.push(web1);
        await waitForOk(`http://127.0.0.1:${web1Port}/api/v1/health/ready`, 'web-1b');
        // nginx checks passively: it tries the address it took out of rotation again once fail_timeout has
        // passed. As in a rolling restart, the other instance is stopped only once the load balancer sends the
        // new one traffic.
        await expect
          .poll(
            async () =>
              (await fetch(`${origin}/api/v1/health/live`).catch(() => null))?.headers.get('x-upstream') ??
              '',
            { timeout: 30_000, intervals: [250], message: 'the load balancer routes to the new instance' },
          )
          .toBe(`127.0.0.1:${web1Port}`);
        const drainStarted = Date.now();
        web2.child.kill('SIGTERM');
        expect(await web2.exited).toBe(0);
        expect(Date.now() - drainStarted).toBeLessThan(Number(env.SHUTDOWN_TIMEOUT_MS) + 2_000);
        expect(web2.output.join('\n')).toContain('• web: stopped');
      });

      await test.step('every job succeeds once, on a node that stayed up', async () => {
        await expect
          .poll(async () => (await Promise.all(jobIds.map(jobOrNull))).map((j) => j?.state), {
            timeout: 180_000,
            intervals: [1_000],
            message: 'every job finishes',
          })
          .toEqual(jobIds.map(() => 'succeeded'));
        for (const id of jobIds) {
          const done = await job(id);
          expect(done.progressUnits).toBe(WORK_UNITS);
          expect(done.attempts.map((a) => a.state)).toEqual(['completed']);
        }
      });

      await test.step('nothing is charged twice: each attempt pays its own time once, and the ledger agrees', async () => {
        const done = await Promise.all(jobIds.map(job));
        let charged = 0n;
        for (const { attempts } of done)
          for (const attempt of attempts) {
            const ranMs = Date.parse(attempt.endedAt!) - Date.parse(attempt.assignedAt);
            // Metered time is the attempt's own heartbeat-backed time: never more than it lasted.
            expect(attempt.meteredMs).toBeGreaterThan(0);
            expect(attempt.meteredMs).toBeLessThanOrEqual(ranMs + 1_000);
            expect(BigInt(attempt.chargedMicros)).toBeLessThanOrEqual(
              (BigInt(attempt.meteredMs) * BigInt(attempt.pricePerGpuHourMicros)) / 3_600_000n + 1n,
            );
            charged += BigInt(attempt.chargedMicros);
          }
        expect(charged).toBeGreaterThan(0n);
        expect(done.reduce((sum, j) => sum + BigInt(j.chargedMicros), 0n)).toBe(charged);
        const balance = (await (await request.get('/api/v1/balance', { headers: auth })).json()) as {
          availableMicros: string;
          reservedMicros: string;
        };
        // Deposited 10 USDC; what is left is exactly that minus what the jobs' attempts were charged.
        expect(BigInt(balance.reservedMicros)).toBe(0n);
        expect(BigInt(balance.availableMicros)).toBe(10_000_000n - charged);
      });

      await test.step('every stream resumed on the other instance and missed no event', async () => {
        for (const [i, id] of jobIds.entries()) {
          const stream = streams[i]!;
          const { items } = (await (
            await request.get(`/api/v1/jobs/${id}/events?limit=500`, { headers: auth })
          ).json()) as { items: StreamEvent[] };
          await expect
            .poll(() => stream.events.length, { timeout: 15_000, message: `stream ${i + 1} catches up` })
            .toBeGreaterThanOrEqual(items.length);
          expect(stream.events.map((e) => e.id)).toEqual(items.map((e) => e.id));
          expect(stream.reconnects).toBeGreaterThanOrEqual(1);
          expect(new Set(stream.upstreams).size).toBeGreaterThanOrEqual(2);
        }
      });
    } finally {
      await db.end();
    }
  });
});
