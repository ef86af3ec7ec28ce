import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { freePort } from '@/lib/testing/free-port';
import path from 'node:path';
import { processTree, readStatusKb } from '@/scripts/bench/lib/proc';
import { buildIsStale } from '@/scripts/lib/build-freshness';

/** The benchmark builds into its own directory so it never replaces or races the `.next` build. */
export const BENCH_DIST_DIR = '.next-bench';

const LOOPBACK = '127.0.0.1';

function nextBin(root: string): string {
  return path.join(root, 'node_modules', '.bin', 'next');
}

/** Environment shared by the build and the server: production mode, our dist dir, no telemetry. */
export function nextEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: BENCH_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
  // The engine is chosen per server; an inherited DATABASE_URL would silently point PGlite runs at PostgreSQL.
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  return env;
}

interface Snapshot {
  text: string;
  mtimeMs: number;
}

function snapshot(file: string): Snapshot | null {
  return existsSync(file) ? { text: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs } : null;
}

/** Parses JSON, or returns undefined for anything else (a tsconfig with comments is left alone). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `after` is `before` plus the include globs `next build` adds for the benchmark's dist dir. */
function onlyBenchGlobsAdded(before: string, after: string): boolean {
  const parsedBefore = parseJson(before);
  const parsedAfter = parseJson(after) as { include?: unknown } | undefined;
  if (parsedBefore === undefined || !parsedAfter || !Array.isArray(parsedAfter.include)) return false;
  const include = parsedAfter.include.filter(
    (glob) => !(typeof glob === 'string' && glob.startsWith(`${BENCH_DIST_DIR}/`)),
  );
  return JSON.stringify({ ...parsedAfter, include }) === JSON.stringify(parsedBefore);
}

/**
 * `next build` rewrites tsconfig.json (adding `<distDir>/types` globs) and next-env.d.ts for whatever dist
 * dir it builds into. Those edits would point the project's type check at the benchmark's build, so they
 * are undone — but only when the file differs by exactly the build's edit, never over someone else's change.
 */
function restoreAfterBuild(file: string, before: Snapshot | null): void {
  const after = snapshot(file)?.text;
  if (after === undefined || after === before?.text) return;
  const buildEdit = file.endsWith('.json')
    ? before !== null && onlyBenchGlobsAdded(before.text, after)
    : after.includes(`./${BENCH_DIST_DIR}/`) && !before?.text.includes(`./${BENCH_DIST_DIR}/`);
  if (!buildEdit) {
    console.warn(`• ${path.basename(file)} changed during the build and was left as it is`);
    return;
  }
  if (before === null) {
    rmSync(file);
    return;
  }
  writeFileSync(file, before.text);
  // tsconfig.json is a build input: keeping its old mtime stops the restore from marking this build (and
  // the main `.next` build) stale. Seconds as a number keep sub-millisecond precision; a Date would not.
  utimesSync(file, before.mtimeMs / 1000, before.mtimeMs / 1000);
}

export interface BuildReport {
  built: boolean;
  ms: number;
}

/** Builds the app into `.next-bench` when the sources changed since the last benchmark build. */
export async function ensureBenchBuild(root: string, log: (line: string) => void): Promise<BuildReport> {
  if (!buildIsStale(root, BENCH_DIST_DIR)) {
    log(`• ${BENCH_DIST_DIR} build is up to date`);
    return { built: false, ms: 0 };
  }
  log(`• building the app into ${BENCH_DIST_DIR} (sources changed since the last benchmark build)…`);
  const started = performance.now();
  const guarded = ['tsconfig.json', 'next-env.d.ts'].map((name) => path.join(root, name));
  const before = guarded.map(snapshot);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(nextBin(root), ['build'], { cwd: root, stdio: 'inherit', env: nextEnv({}) });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`)),
      );
    });
  } finally {
    guarded.forEach((file, i) => restoreAfterBuild(file, before[i] ?? null));
  }
  return { built: true, ms: performance.now() - started };
}

export interface MemoryReport {
  /** Highest sampled sum of resident memory over the server's process tree (bytes). */
  peakTreeRssBytes: number;
  /** Kernel high-water mark (VmHWM) of the server process itself (bytes). */
  serverHwmBytes: number;
  processes: number;
}

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and returns its peak memory. */
  stop(): Promise<MemoryReport>;
}

/** Recent server output, kept for the error message if it fails to start or answers with errors. */
function tail(lines: string[], chunk: Buffer): void {
  lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  lines.splice(0, Math.max(0, lines.length - 40));
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}:\n${output.join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${output.join('\n')}`);
}

/**
 * `next start` on a free loopback port, in its own process group so the whole tree can be stopped by
 * its id. `readyPath` must answer 200 before the server counts as started.
 */
export async function startNextServer(
  root: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(nextBin(root), ['start', '-p', String(port), '-H', LOOPBACK], {
    cwd: root,
    // PORT too, so the app's idea of its own origin (http://localhost:PORT, http://127.0.0.1:PORT) is right.
    env: nextEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('next start did not spawn');
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => tail(output, chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail(output, chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let peakTreeKb = 0;
  let processes = 1;
  const sample = () => {
    const tree = processTree(pid);
    processes = Math.max(processes, tree.length);
    peakTreeKb = Math.max(
      peakTreeKb,
      tree.reduce((sum, p) => sum + readStatusKb(p, 'VmRSS'), 0),
    );
  };
  const sampler = setInterval(sample, 250);
  sampler.unref();

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  // A crash or Ctrl-C of the benchmark must not leave the server running.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const baseUrl = `http://${LOOPBACK}:${port}`;
  try {
    await waitForHttp(`${baseUrl}${readyPath}`, child, output, 60_000);
  } catch (error) {
    clearInterval(sampler);
    killGroup('SIGKILL');
    process.off('exit', onExit);
    throw error;
  }

  return {
    baseUrl,
    pid,
    async stop() {
      sample();
      clearInterval(sampler);
      const serverHwmKb = readStatusKb(pid, 'VmHWM');
      if (child.exitCode === null) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', onExit);
      return { peakTreeRssBytes: peakTreeKb * 1024, serverHwmBytes: serverHwmKb * 1024, processes };
    },
  };
}

export interface HttpTiming {
  ms: number;
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A single keep-alive connection, so sequential timings measure the server rather than TCP set-up. */
export function sequentialClient(baseUrl: string): { get(path: string): Promise<HttpTiming>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get(pathAndQuery: string) {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const req = request(`${baseUrl}${pathAndQuery}`, { agent, timeout: 30_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              ms: performance.now() - started,
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${pathAndQuery} timed out`)));
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
