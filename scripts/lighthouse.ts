/**
 * `npm run lighthouse` — Lighthouse (desktop preset, performance only) on the public pages of a running
 * production server: each page several times, the median score and the median LCP, CLS and TBT, against the
 * design target (performance ≥ 0.95 desktop). Exits non-zero when a page's median score is below it.
 *
 * A measurement, not a test: it depends on the machine and on what else runs on it, so it is not part of
 * `npm test`. Run it against `npm start` (the production build), or let it start its own stack with `--start`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { startEmbeddedStack } from '@/scripts/bench/lib/embedded-stack';
import { CHROMIUM_FLAGS, chromiumPath } from '@/scripts/lib/chromium';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';

const USAGE = `npm run lighthouse [-- options]
  --url URL             origin of a running production server (default http://127.0.0.1:3000; start it with npm start)
  --paths P             comma-separated paths to measure (default /,/metrics)
  --runs N              Lighthouse runs per path; the median is reported (default 3)
  --min-score S         lowest acceptable median performance score, 0–1 (default 0.95)
  --start               start a production stack of its own (npm start with a temporary DATA_DIR) on --port
  --port N              port of the stack --start runs (default 3200; its chain and fleet ports are 8745 and 8747)
  --history-days N      with --start: DEMO_HISTORY_DAYS of its demo network (default: the app's default)
  --history-timeout S   seconds to wait for the simulated history to finish generating (default 1800)
Chromium: CHROME_PATH, else CHROMIUM_PATH, else /usr/bin/chromium.`;

interface Options {
  url: string;
  paths: string[];
  runs: number;
  minScore: number;
  start: boolean;
  port: number;
  historyDays: number | null;
  historyTimeoutSeconds: number;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

function parse(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      paths: { type: 'string' },
      runs: { type: 'string' },
      'min-score': { type: 'string' },
      start: { type: 'boolean' },
      port: { type: 'string' },
      'history-days': { type: 'string' },
      'history-timeout': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const minScore = values['min-score'] === undefined ? 0.95 : Number(values['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw new Error('--min-score must be between 0 and 1');
  const port = positiveInt('port', values.port, 3200);
  if (values.start && values.url) throw new Error('--start runs its own server; leave out --url');
  const paths = (values.paths ?? '/,/metrics').split(',').filter((p) => p !== '');
  if (paths.some((p) => !p.startsWith('/')))
    throw new Error('--paths must be absolute paths such as /metrics');
  return {
    url: values.start
      ? `http://127.0.0.1:${port}`
      : (values.url ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    paths,
    runs: positiveInt('runs', values.runs, 3),
    minScore,
    start: values.start ?? false,
    port,
    historyDays:
      values['history-days'] === undefined ? null : positiveInt('history-days', values['history-days'], 1),
    historyTimeoutSeconds: positiveInt('history-timeout', values['history-timeout'], 1800),
  };
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(2_000);
  }
  throw new Error(`${what}: not ready within ${Math.round(timeoutMs / 1000)} s`);
}

/** `npm start` on its own port, data directory, chain and fleet ports; stopped (SIGTERM) by the cleanup. */
async function startStack(options: Options, cleanup: Cleanup): Promise<void> {
  console.log(`• starting the production stack on port ${options.port}…`);
  const stack = await startEmbeddedStack(
    {
      label: 'lighthouse',
      port: options.port,
      chainPort: 8745,
      fleetPort: 8747,
      env: options.historyDays === null ? {} : { DEMO_HISTORY_DAYS: String(options.historyDays) },
      readyTimeoutMs: 600_000,
    },
    cleanup,
  );
  console.log(`• the stack answers (data in ${stack.dataDir})`);
}

/** Waits until the simulated history (if any) is complete, so the pages show what a visitor later sees. */
async function waitForHistory(options: Options): Promise<void> {
  let last = '';
  await waitFor('the simulated history', options.historyTimeoutSeconds * 1000, async () => {
    const response = await fetch(`${options.url}/api/v1/metrics`);
    if (!response.ok) return false;
    const summary = (await response.json()) as { history: { state: string; progress: number } | null };
    const state = summary.history
      ? `${summary.history.state} ${Math.round(summary.history.progress * 100)} %`
      : 'none';
    if (state !== last) console.log(`• simulated history: ${state}`);
    last = state;
    if (summary.history?.state === 'failed') throw new Error('the simulated history failed to generate');
    return !summary.history || summary.history.state === 'complete';
  });
}

interface Run {
  score: number;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  fcpMs: number;
  speedIndexMs: number;
}

interface PathResult {
  path: string;
  runs: Run[];
  median: Run;
  pass: boolean;
}

async function measure(url: string, port: number): Promise<Run & { benchmarkIndex: number }> {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] },
    desktopConfig,
  );
  if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const audit = (id: string) => {
    const value = lhr.audits[id]?.numericValue;
    if (value === undefined) throw new Error(`${url}: no ${id} in the report`);
    return value;
  };
  const score = lhr.categories.performance?.score;
  if (score === null || score === undefined) throw new Error(`${url}: no performance score`);
  return {
    score,
    lcpMs: audit('largest-contentful-paint'),
    cls: audit('cumulative-layout-shift'),
    tbtMs: audit('total-blocking-time'),
    fcpMs: audit('first-contentful-paint'),
    speedIndexMs: audit('speed-index'),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

function medianRun(runs: readonly Run[]): Run {
  const of = (key: keyof Run) => median(runs.map((r) => r[key]));
  return {
    score: of('score'),
    lcpMs: of('lcpMs'),
    cls: of('cls'),
    tbtMs: of('tbtMs'),
    fcpMs: of('fcpMs'),
    speedIndexMs: of('speedIndexMs'),
  };
}

function printTable(results: readonly PathResult[], minScore: number): void {
  const rows = results.map((r) => [
    r.path,
    r.runs.map((run) => run.score.toFixed(2)).join(' '),
    r.median.score.toFixed(2),
    `${Math.round(r.median.lcpMs)} ms`,
    r.median.cls.toFixed(3),
    `${Math.round(r.median.tbtMs)} ms`,
    `${Math.round(r.median.fcpMs)} ms`,
    r.pass ? 'pass' : `FAIL (< ${minScore})`,
  ]);
  const head = ['path', 'scores', 'median', 'LCP', 'CLS', 'TBT', 'FCP', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

runBenchmark(parse, USAGE, async (options, argv, cleanup) => {
  const started = performance.now();
  if (options.start) await startStack(options, cleanup);
  await waitForHistory(options);

  const chromePath = process.env.CHROME_PATH || chromiumPath;
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS],
  });
  cleanup.add('Chromium', async () => {
    chrome.kill();
  });

  const results: PathResult[] = [];
  let benchmarkIndex = 0;
  for (const pagePath of options.paths) {
    const url = `${options.url}${pagePath}`;
    // One unmeasured request first, so the server's first render of the page is not in the figures
    // (Lighthouse itself starts every run with an empty browser cache).
    const warm = await fetch(url);
    if (!warm.ok) throw new Error(`GET ${url} answered ${warm.status}`);
    await warm.arrayBuffer();
    const runs: Run[] = [];
    for (let i = 1; i <= options.runs; i++) {
      const { benchmarkIndex: index, ...run } = await measure(url, chrome.port);
      benchmarkIndex = index;
      runs.push(run);
      console.log(
        `• ${pagePath} run ${i}/${options.runs}: score ${run.score.toFixed(2)}, LCP ${Math.round(run.lcpMs)} ms, CLS ${run.cls.toFixed(3)}, TBT ${Math.round(run.tbtMs)} ms`,
      );
    }
    const mid = medianRun(runs);
    results.push({ path: pagePath, runs, median: mid, pass: mid.score >= options.minScore });
  }

  printTable(results, options.minScore);
  writeResults(
    path.join('bench-results', 'lighthouse.json'),
    {
      url: options.url,
      preset: 'desktop',
      runsPerPath: options.runs,
      minScore: options.minScore,
      chromium: chromePath,
      benchmarkIndex,
      measuredAt: new Date().toISOString(),
      results,
    },
    started,
    `npm run lighthouse${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
  );
  const failed = results.filter((r) => !r.pass);
  if (failed.length > 0) {
    console.error(
      `\n• median performance below ${options.minScore} on ${failed.map((r) => r.path).join(', ')}`,
    );
    process.exitCode = 1;
  }
});
