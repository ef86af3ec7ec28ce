/**
 * `npm run lighthouse` — Lighthouse (performance only) on the public pages of a running production server,
 * in both of Lighthouse's presets: desktop, and mobile (a mid-range phone on a slow 4G network, simulated).
 * Each page is measured several times per preset and every run is held to the targets:
 * - CLS < 0.1 on every run, desktop and mobile;
 * - desktop: performance score ≥ 0.95;
 * - mobile: LCP ≤ 2.5 s.
 * It prints each run, the medians, and exits non-zero when any run misses a target.
 *
 * `/market/:node` in `--paths` stands for the page of the market's first offer's node (found through
 * `GET /api/v1/offers`), so the node page is measured without knowing an id in advance.
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
  --paths P             comma-separated paths to measure (default /,/market,/market/:node,/metrics;
                        :node is the node of the market's first offer)
  --presets P           desktop, mobile or both (default desktop,mobile)
  --runs N              Lighthouse runs per path and preset (default 5)
  --min-score S         lowest acceptable desktop performance score of any run, 0–1 (default 0.95)
  --max-cls X           every run's CLS must be below this (default 0.1)
  --max-mobile-lcp MS   highest acceptable mobile LCP of any run, in ms (default 2500)
  --start               start a production stack of its own (npm start with a temporary DATA_DIR) on --port
  --port N              port of the stack --start runs (default 3200; its chain and fleet ports are 8745 and 8747)
  --history-days N      with --start: DEMO_HISTORY_DAYS of its demo network (default: the app's default)
  --history-timeout S   seconds to wait for the simulated history to finish generating (default 1800)
  --demo-nodes N        with --start: DEMO_NODES of its demo network (default: the app's default, 300)
  --no-demand           with --start: DEMO_DEMAND=false, no simulated customers launching jobs while it measures
Chromium: CHROME_PATH, else CHROMIUM_PATH, else /usr/bin/chromium.`;

type Preset = 'desktop' | 'mobile';
const PRESETS: readonly Preset[] = ['desktop', 'mobile'];
const NODE_PLACEHOLDER = ':node';

interface Options {
  url: string;
  paths: string[];
  presets: Preset[];
  runs: number;
  minScore: number;
  maxCls: number;
  maxMobileLcpMs: number;
  start: boolean;
  port: number;
  historyDays: number | null;
  historyTimeoutSeconds: number;
  demoNodes: number | null;
  demand: boolean;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

function boundedNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed <= max)) throw new Error(`--${name} must be between 0 and ${max}`);
  return parsed;
}

function parse(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      paths: { type: 'string' },
      presets: { type: 'string' },
      runs: { type: 'string' },
      'min-score': { type: 'string' },
      'max-cls': { type: 'string' },
      'max-mobile-lcp': { type: 'string' },
      start: { type: 'boolean' },
      port: { type: 'string' },
      'history-days': { type: 'string' },
      'history-timeout': { type: 'string' },
      'demo-nodes': { type: 'string' },
      'no-demand': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = positiveInt('port', values.port, 3200);
  if (values.start && values.url) throw new Error('--start runs its own server; leave out --url');
  if (!values.start && (values['demo-nodes'] || values['no-demand'] || values['history-days']))
    throw new Error('--demo-nodes, --no-demand and --history-days shape the stack --start runs');
  const paths = (values.paths ?? `/,/market,/market/${NODE_PLACEHOLDER},/metrics`)
    .split(',')
    .filter((p) => p !== '');
  if (paths.some((p) => !p.startsWith('/')))
    throw new Error('--paths must be absolute paths such as /metrics');
  const presets = (values.presets ?? PRESETS.join(',')).split(',').filter((p) => p !== '');
  const unknown = presets.filter((p) => !PRESETS.includes(p as Preset));
  if (unknown.length > 0 || presets.length === 0)
    throw new Error(`--presets takes desktop and/or mobile, got "${values.presets}"`);
  return {
    url: values.start
      ? `http://127.0.0.1:${port}`
      : (values.url ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    paths,
    presets: presets as Preset[],
    runs: positiveInt('runs', values.runs, 5),
    minScore: boundedNumber('min-score', values['min-score'], 0.95, 1),
    maxCls: boundedNumber('max-cls', values['max-cls'], 0.1, 10),
    maxMobileLcpMs: boundedNumber('max-mobile-lcp', values['max-mobile-lcp'], 2500, 60_000),
    start: values.start ?? false,
    port,
    historyDays:
      values['history-days'] === undefined ? null : positiveInt('history-days', values['history-days'], 1),
    historyTimeoutSeconds: positiveInt('history-timeout', values['history-timeout'], 1800),
    demoNodes: values['demo-nodes'] === undefined ? null : positiveInt('demo-nodes', values['demo-nodes'], 1),
    demand: !values['no-demand'],
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
      env: {
        ...(options.historyDays === null ? {} : { DEMO_HISTORY_DAYS: String(options.historyDays) }),
        ...(options.demoNodes === null ? {} : { DEMO_NODES: String(options.demoNodes) }),
        ...(options.demand ? {} : { DEMO_DEMAND: 'false' }),
      },
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

/** `/market/:node` becomes the page of the node behind the market's first offer. */
async function resolvePath(origin: string, pagePath: string): Promise<string> {
  if (!pagePath.includes(NODE_PLACEHOLDER)) return pagePath;
  const response = await fetch(`${origin}/api/v1/offers?limit=1`);
  if (!response.ok) throw new Error(`GET /api/v1/offers answered ${response.status}`);
  const page = (await response.json()) as { data: { nodeId: string }[] };
  const nodeId = page.data[0]?.nodeId;
  if (!nodeId) throw new Error(`${pagePath}: the market has no offer, so there is no node page to measure`);
  return pagePath.replace(NODE_PLACEHOLDER, nodeId);
}

interface Run {
  score: number;
  /** The document's server response time as the browser saw it (the server's share of every paint). */
  ttfbMs: number;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  fcpMs: number;
  speedIndexMs: number;
}

interface PathResult {
  path: string;
  preset: Preset;
  runs: Run[];
  median: Run;
  /** What each failing run missed, e.g. "run 3: CLS 0.12 ≥ 0.1"; empty when every run met every target. */
  misses: string[];
}

async function measure(url: string, port: number, preset: Preset): Promise<Run & { benchmarkIndex: number }> {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] },
    // Without a config Lighthouse uses its default: the mobile preset (emulated phone, simulated slow 4G).
    preset === 'desktop' ? desktopConfig : undefined,
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
    ttfbMs: lhr.audits['server-response-time']?.numericValue ?? Number.NaN,
    lcpMs: audit('largest-contentful-paint'),
    cls: audit('cumulative-layout-shift'),
    tbtMs: audit('total-blocking-time'),
    fcpMs: audit('first-contentful-paint'),
    speedIndexMs: audit('speed-index'),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

/** The targets one run misses, in words (empty when it meets them all). */
function missesOf(run: Run, preset: Preset, options: Options): string[] {
  const misses: string[] = [];
  if (!(run.cls < options.maxCls)) misses.push(`CLS ${run.cls.toFixed(3)} ≥ ${options.maxCls}`);
  if (preset === 'desktop' && run.score < options.minScore)
    misses.push(`score ${run.score.toFixed(2)} < ${options.minScore}`);
  if (preset === 'mobile' && run.lcpMs > options.maxMobileLcpMs)
    misses.push(`LCP ${Math.round(run.lcpMs)} ms > ${options.maxMobileLcpMs} ms`);
  return misses;
}

function medianRun(runs: readonly Run[]): Run {
  const of = (key: keyof Run) => median(runs.map((r) => r[key]));
  return {
    score: of('score'),
    ttfbMs: of('ttfbMs'),
    lcpMs: of('lcpMs'),
    cls: of('cls'),
    tbtMs: of('tbtMs'),
    fcpMs: of('fcpMs'),
    speedIndexMs: of('speedIndexMs'),
  };
}

function printTable(results: readonly PathResult[]): void {
  const ms = (values: readonly number[]) => values.map((v) => Math.round(v)).join(' ');
  const rows = results.map((r) => [
    r.preset,
    r.path,
    r.runs.map((run) => run.score.toFixed(2)).join(' '),
    ms(r.runs.map((run) => run.lcpMs)),
    Math.max(...r.runs.map((run) => run.cls)).toFixed(3),
    `${Math.round(r.median.tbtMs)} ms`,
    `${Math.round(r.median.fcpMs)} ms`,
    `${Math.round(r.median.ttfbMs)} ms`,
    r.misses.length === 0 ? 'met' : `MISSED ${r.misses.length}`,
  ]);
  const head = [
    'preset',
    'path',
    'scores',
    'LCP (ms)',
    'worst CLS',
    'median TBT',
    'median FCP',
    'median server',
    'verdict',
  ];
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
  for (const requested of options.paths) {
    const pagePath = await resolvePath(options.url, requested);
    const url = `${options.url}${pagePath}`;
    // One unmeasured request first, so the server's first render of the page is not in the figures
    // (Lighthouse itself starts every run with an empty browser cache).
    const warm = await fetch(url);
    if (!warm.ok) throw new Error(`GET ${url} answered ${warm.status}`);
    await warm.arrayBuffer();
    for (const preset of options.presets) {
      const runs: Run[] = [];
      const misses: string[] = [];
      for (let i = 1; i <= options.runs; i++) {
        const { benchmarkIndex: index, ...run } = await measure(url, chrome.port, preset);
        benchmarkIndex = index;
        runs.push(run);
        const missed = missesOf(run, preset, options);
        misses.push(...missed.map((m) => `run ${i}: ${m}`));
        console.log(
          `• ${preset} ${requested} run ${i}/${options.runs}: score ${run.score.toFixed(2)}, server ${Math.round(run.ttfbMs)} ms, LCP ${Math.round(run.lcpMs)} ms, CLS ${run.cls.toFixed(3)}, TBT ${Math.round(run.tbtMs)} ms${missed.length ? ` — missed: ${missed.join(', ')}` : ''}`,
        );
      }
      results.push({ path: requested, preset, runs, median: medianRun(runs), misses });
    }
  }

  printTable(results);
  writeResults(
    path.join('bench-results', 'lighthouse.json'),
    {
      url: options.url,
      presets: options.presets,
      runsPerPathAndPreset: options.runs,
      targets: {
        maxCls: options.maxCls,
        minDesktopScore: options.minScore,
        maxMobileLcpMs: options.maxMobileLcpMs,
      },
      chromium: chromePath,
      benchmarkIndex,
      measuredAt: new Date().toISOString(),
      results,
    },
    started,
    `npm run lighthouse${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
  );
  const failed = results.filter((r) => r.misses.length > 0);
  if (failed.length > 0) {
    console.error('\n• targets missed:');
    for (const r of failed) console.error(`  ${r.preset} ${r.path}: ${r.misses.join('; ')}`);
    process.exitCode = 1;
  }
});
