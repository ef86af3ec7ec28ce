import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { systemClock } from '@/lib/clock';
import { migrateDatabase, openDatabase, queryRows } from '@/lib/db/client';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { provisionFleet } from '@/simulator/provision';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { credentialsPath, readCredentials, type FleetNode } from '@/simulator/sim/credentials';
import { startBenchPostgres } from '@/scripts/bench/lib/bench-database';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { descendantsNamed, treeCpuSeconds, treeCpuSecondsWithReaped } from '@/scripts/bench/lib/proc';
import { buildIsStale } from '@/scripts/lib/build-freshness';

/**
 * What `npm run bench:heartbeats` runs against: its own PostgreSQL with a seeded demo network whose nodes the
 * simulated fleet provisioning gave fresh node tokens, one worker (`npm run worker`), web instances
 * (`npm run serve`, EMBEDDED_WORKER=false) and, for two instances, nginx in front of them. Every process is
 * started in its own process group so the cleanup stops it and everything it started.
 */

const LOOPBACK = '127.0.0.1';
const root = process.cwd();
const tsxBin = path.join(root, 'node_modules', '.bin', 'tsx');
/** Seeded nodes per fleet node wanted: about 9 in 10 seeded nodes are online and verified. */
const SEED_MARGIN = 1.2;

export interface BenchDatabase {
  url: string;
  dataDir: string;
  /** Nodes with node tokens, in a mixed order (by id), every one verified and marked offline for now. */
  nodes: FleetNode[];
  /** CPU seconds of the PostgreSQL server so far: the postmaster and every backend, reaped ones included. */
  cpuSeconds(): number;
  /** CPU seconds so far of each live client backend, by backend pid, with its application_name. */
  backendCpu(): Promise<Map<number, { application: string; cpuSeconds: number }>>;
}

/** The application_name the web instances' and the worker's connections carry, to tell their backends apart. */
export const WEB_APPLICATION = 'backfill-web';
export const WORKER_APPLICATION = 'backfill-worker';

/** The database URL with an application_name, which PostgreSQL shows for each backend. */
export function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

/** The production build `npm run serve` will load, or an error saying how to make one. */
export function assertBuilt(log: (line: string) => void): void {
  const dist = process.env.NEXT_DIST_DIR ?? '.next';
  if (!existsSync(path.join(root, dist, 'BUILD_ID')))
    throw new Error(`no production build in ${dist}: run npm run build first`);
  if (buildIsStale(root, dist)) log(`• warning: the build in ${dist} is older than the sources`);
}

/**
 * PostgreSQL, migrated, with a demo network of about `nodes` × 1.2 nodes (31 days of status history, no job
 * history), provisioned as the fleet is (a node token per node). Every node is then set offline, as after a
 * long pause: a node is counted online from its first heartbeat, and the worker does not mark the nodes of
 * later, larger steps lost while they wait.
 */
export async function prepareBenchDatabase(
  cleanup: Cleanup,
  nodes: number,
  seed: number,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const { url } = await startBenchPostgres(cleanup);
  const postmaster = descendantsNamed(process.pid, 'postgres').find((pid) => parentOf(pid) === process.pid);
  if (postmaster === undefined) throw new Error('could not find the PostgreSQL server process');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-heartbeats-'));
  cleanup.add('data directory', async () => rmSync(dataDir, { recursive: true, force: true }));
  const handle = await openDatabase({ engine: 'postgres', url, poolSize: 4 });
  try {
    await migrateDatabase(handle);
    const now = systemClock.now();
    const seeded = await seedDemoNetwork(handle.db, {
      seed,
      nodeCount: Math.ceil(nodes * SEED_MARGIN) + 20,
      now,
      historyDays: 31,
    });
    await provisionFleet(handle.db, systemClock, {
      dataDir,
      demandAccounts: 0,
      skipWork: { seed, cheaterShare: 0, skipShare: 0 },
    });
    const credentials = readCredentials(credentialsPath(dataDir));
    if (!credentials) throw new Error('provisioning wrote no credentials');
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`update node_status_intervals set ended_at = ${now} where ended_at is null`);
      await tx.execute(sql`insert into node_status_intervals (node_id, status, started_at)
        select id, 'offline', ${now} from nodes where status <> 'quarantined'`);
      await tx.execute(sql`update nodes set status = 'offline', status_since = ${now}
        where status <> 'quarantined'`);
    });
    // Every node benchmarked just now (its latest passing result again), so no re-verification falls due
    // during the run and every heartbeat measured is an idle one.
    await handle.db.execute(sql`insert into node_verifications
        (node_id, method, result, measured_score, expected_min, expected_max, detail, created_at)
      select distinct on (node_id) node_id, method, result, measured_score, expected_min, expected_max, detail, ${now}
      from node_verifications where method = 'benchmark' and result = 'pass'
      order by node_id, created_at desc`);
    await refreshOffers(handle.db, systemClock);
    // Seeded online and verified, so no first benchmark is due either.
    const verified = new Set(
      (
        await queryRows<{ id: string }>(
          handle.db,
          sql`select id from nodes where verification_state = 'verified'`,
        )
      ).map((row) => row.id),
    );
    const usable = credentials.nodes
      .filter((node) => node.heartbeats && !node.quarantined && verified.has(node.id))
      .sort((a, b) => a.id.localeCompare(b.id));
    if (usable.length < nodes)
      throw new Error(`only ${usable.length} usable nodes were seeded for a fleet of ${nodes}`);
    log(
      `• PostgreSQL migrated; ${seeded.nodes.toLocaleString('en-US')} demo nodes seeded and provisioned, ` +
        `${nodes.toLocaleString('en-US')} of them will heartbeat`,
    );
    const monitor = new pg.Client({ connectionString: withApplicationName(url, 'bench-monitor') });
    await monitor.connect();
    cleanup.add('PostgreSQL monitor connection', () => monitor.end());
    return {
      url,
      dataDir,
      nodes: usable.slice(0, nodes),
      cpuSeconds: () => treeCpuSecondsWithReaped(postmaster),
      async backendCpu() {
        const { rows } = await monitor.query<{ pid: number; application_name: string }>(
          `select pid, application_name from pg_stat_activity where backend_type = 'client backend'`,
        );
        return new Map(
          rows.map((row) => [
            row.pid,
            { application: row.application_name, cpuSeconds: treeCpuSeconds([row.pid]) },
          ]),
        );
      },
    };
  } finally {
    await handle.close();
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** The environment every instance and the worker share, as a deployment on one PostgreSQL must. */
export function sharedEnv(database: BenchDatabase, origin: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    EMBEDDED_WORKER: 'false',
    DEMO_NETWORK: 'true',
    DEMO_HISTORY_DAYS: '0',
    APP_ORIGIN: origin,
    RECEIPT_SIGNING_KEY: `0x${randomBytes(32).toString('hex')}`,
    STORAGE_SIGNING_KEY: randomBytes(32).toString('hex'),
    // No chain: nothing here pays or deposits.
    CHAIN_RPC_URL: '',
    // Out well before the benchmark's SIGKILL, so a web instance's CPU profile (written on exit) is kept.
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
}

export interface BenchProcess {
  pid: number;
  /** CPU seconds of the process and its descendants so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Recent output, kept for the error message if the process fails. */
function keepTail(child: ChildProcess): string[] {
  const lines: string[] = [];
  const add = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return lines;
}

/** Spawns a command in its own process group; the cleanup (or `stop`) ends the group. */
function startProcess(
  cleanup: Cleanup,
  label: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; output: string[]; process: BenchProcess } {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${label} did not spawn`);
  const output = keepTail(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  const onExit = () => signal('SIGKILL');
  process.once('exit', onExit);
  const stop = cleanup.add(label, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', onExit);
  });
  return { child, output, process: { pid, cpuSeconds: () => treeCpuSeconds([pid]), stop } };
}

async function waitUntil(
  check: () => Promise<boolean> | boolean,
  child: ChildProcess,
  output: string[],
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited with ${child.exitCode}:\n${output.join('\n')}`);
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${output.join('\n')}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok;
  } catch {
    return false;
  }
}

export interface WebInstance extends BenchProcess {
  url: string;
}

/** `npm run serve` on `port`; ready once liveness answers. */
export async function startWeb(
  cleanup: Cleanup,
  env: Record<string, string>,
  port: number,
  cpuProfDir: string | null,
  index: number,
): Promise<WebInstance> {
  // Node itself, with tsx as a loader (not the tsx command, which would put a process of its own in between),
  // so that --cpu-prof (not allowed in NODE_OPTIONS) reaches the server.
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfDir, `web-${index}`)}`] : [];
  const started = startProcess(
    cleanup,
    `web instance ${index}`,
    process.execPath,
    ['--import', 'tsx', ...profile, 'scripts/serve.ts', '--port', String(port), '--hostname', LOOPBACK],
    {
      ...env,
      PORT: String(port),
      DATABASE_URL: withApplicationName(env.DATABASE_URL ?? '', WEB_APPLICATION),
    },
  );
  const url = `http://${LOOPBACK}:${port}`;
  await waitUntil(
    () => answers(`${url}/api/v1/health/live`),
    started.child,
    started.output,
    `web instance ${index}`,
  );
  return { ...started.process, url };
}

/** `npm run worker`; ready once it says its loops run. */
export async function startWorker(cleanup: Cleanup, env: Record<string, string>): Promise<BenchProcess> {
  const started = startProcess(cleanup, 'worker', tsxBin, ['scripts/worker.ts'], {
    ...env,
    DATABASE_URL: withApplicationName(env.DATABASE_URL ?? '', WORKER_APPLICATION),
  });
  await waitUntil(
    () => started.output.some((line) => line.includes('background loops running')),
    started.child,
    started.output,
    'the worker',
  );
  return started.process;
}

/**
 * nginx round-robin over the instances, with keep-alive connections to them. Its files live in a temporary
 * directory of their own (readable by the account its workers run as when started by root).
 */
export async function startLoadBalancer(
  cleanup: Cleanup,
  nginx: string,
  port: number,
  upstreams: readonly string[],
): Promise<WebInstance> {
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-nginx-'));
  chmodSync(dir, 0o777);
  cleanup.add('nginx directory', async () => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) {
    mkdirSync(path.join(dir, sub));
    chmodSync(path.join(dir, sub), 0o777);
  }
  const servers = upstreams.map((url) => `    server ${new URL(url).host};`).join('\n');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 2m;
  client_body_buffer_size 1m;
  keepalive_requests 100000;
  upstream web {
${servers}
    keepalive 256;
  }
  server {
    listen ${LOOPBACK}:${port};
    location / {
      proxy_pass http://web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_read_timeout 60s;
    }
  }
}
`,
  );
  const started = startProcess(cleanup, 'nginx', nginx, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {});
  const url = `http://${LOOPBACK}:${port}`;
  await waitUntil(() => answers(`${url}/api/v1/health/live`), started.child, started.output, 'nginx', 30_000);
  return { ...started.process, url };
}

/** nginx on PATH (or where Debian puts it), or null. */
export function findNginx(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'];
  return (
    dirs.map((dir) => path.join(dir, 'nginx')).find((file) => path.isAbsolute(file) && existsSync(file)) ??
    null
  );
}
