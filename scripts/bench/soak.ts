/**
 * `npm run bench:soak` — the memory of `npm start`'s whole embedded stack over time: the web server with its
 * worker and embedded PGlite, the local anvil chain, and the simulated fleet with its demo demand, in a fresh
 * temporary DATA_DIR on ports of its own, while a light client fetches the home page, /market, /metrics and the
 * public APIs every few seconds. Once the stack answers (a first start builds the app first), every minute it
 * prints the proportional set size (Pss) of every process in the stack's tree, by what each is, and the total;
 * at the end the largest total, the first against the last, the least-squares trend in MiB an hour, and the
 * design notes' targets: at most 1.2 GiB at every sample, and no growth trend.
 *
 * Pss rather than resident size: the stack's processes share pages (several Node processes map the same
 * binary and libraries), and Pss counts each shared page once across them, so the processes add up to what
 * the stack really costs the machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@/lib/testing/free-port';
import { startEmbeddedStack } from '@/scripts/bench/lib/embedded-stack';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';
import { machineInfo } from '@/scripts/bench/lib/report';
import { SOAK_USAGE, parseSoakArgs } from '@/scripts/bench/lib/soak-args';
import {
  CONCLUSIVE_MINUTES,
  GROWTH_TOLERANCE_PER_HOUR,
  STACK_ROLES,
  TOTAL_TARGET_BYTES,
  judgeSoak,
  sampleStackMemory,
  type MemorySample,
} from '@/scripts/bench/lib/soak-memory';
import { startTrafficLoop } from '@/scripts/bench/lib/soak-traffic';
import { formatMiB, formatMs, textTable } from '@/scripts/bench/lib/stats';

/** A first start builds the app: on two cores that alone takes minutes. */
const READY_TIMEOUT_MS = 30 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:soak -- ${argv.join(' ')}` : 'npm run bench:soak';
}

/** One line of the per-minute table: each role's Pss (and process count), the total, the history's state. */
function sampleRow(sample: MemorySample): string[] {
  return [
    sample.minutes.toFixed(1),
    ...STACK_ROLES.map((role) => {
      const { bytes, processes } = sample.byRole[role];
      return processes ? `${formatMiB(bytes)} (${processes})` : '–';
    }),
    formatMiB(sample.totalBytes),
    sample.history ?? '?',
  ];
}

const HEADER = ['minute', ...STACK_ROLES, 'total', 'demo history'];

interface PublishedHistory {
  state: string;
  progress: number;
  jobs: number;
  startedAt: string;
  finishedAt: string | null;
}

/** The demo history as the stack publishes it (undefined: no answer within 10 s). */
async function fetchHistory(url: string): Promise<PublishedHistory | null | undefined> {
  try {
    const response = await fetch(`${url}/api/v1/metrics/history`, { signal: AbortSignal.timeout(10_000) });
    return ((await response.json()) as { history: PublishedHistory | null }).history;
  } catch {
    return undefined;
  }
}

/** The demo history's state at a sample: what the web is busy with. */
function historyState(history: PublishedHistory | null | undefined): string | undefined {
  if (history === undefined) return undefined;
  if (history === null) return 'none';
  return history.state === 'generating'
    ? `generating ${Math.round(history.progress * 100)} %`
    : history.state;
}

/** The target for the default network's year of history inside `npm start` (design notes, issue 17). */
const HISTORY_TARGET_SECONDS = 180;

/** How long the history took to generate, from its start to its completion, as the stack publishes them. */
function historyLine(history: PublishedHistory | null | undefined): string {
  if (!history) return 'demo history: none published';
  if (!history.finishedAt) return `demo history: ${history.state} at the end (${historyState(history)})`;
  const seconds = (Date.parse(history.finishedAt) - Date.parse(history.startedAt)) / 1000;
  const verdict = seconds <= HISTORY_TARGET_SECONDS ? 'holds' : 'FAILS';
  return (
    `demo history: ${history.jobs} jobs in ${seconds.toFixed(1)} s from the start of generation to the full ` +
    `history (target ≤ ${HISTORY_TARGET_SECONDS} s: ${verdict})`
  );
}

/** Heartbeats the fleet reported unanswered, from its lines in the stack's log. */
function failedHeartbeats(logFile: string): number {
  const log = readFileSync(logFile, 'utf8');
  let failed = 0;
  for (const match of log.matchAll(/\[fleet\] (\d+) heartbeats failed/g)) failed += Number(match[1]);
  return failed;
}

runBenchmark(parseSoakArgs, SOAK_USAGE, async (options, argv, cleanup) => {
  const started = performance.now();
  const command = reproduceCommand(argv);
  const ports = {
    port: options.port ?? (await freePort()),
    chainPort: options.chainPort ?? (await freePort()),
    fleetPort: options.fleetPort ?? (await freePort()),
  };
  const logFile = path.join(tmpdir(), `backfill-soak-${process.pid}.log`);
  const machine = machineInfo();
  console.log(`machine: ${JSON.stringify(machine)}`);
  console.log(
    `• starting npm start's stack on port ${ports.port} (chain ${ports.chainPort}, fleet control ` +
      `${ports.fleetPort}); its output goes to ${logFile}`,
  );
  const stack = await startEmbeddedStack(
    { label: 'soak', ...ports, logFile, readyTimeoutMs: READY_TIMEOUT_MS },
    cleanup,
  );
  const root = stack.child.pid;
  if (root === undefined) throw new Error('the stack has no process id');
  const readySeconds = (performance.now() - started) / 1000;
  console.log(
    `• the stack answers at ${stack.url} after ${readySeconds.toFixed(0)} s (data in ${stack.dataDir}); ` +
      `sampling every ${options.sampleSeconds} s for ${options.minutes} min`,
  );

  const traffic = startTrafficLoop(stack.url, options.trafficSeconds * 1000);
  cleanup.add('the client loop', () => traffic.stop());
  const sampling = performance.now();
  const samples: MemorySample[] = [];
  let history: PublishedHistory | null | undefined;
  const end = sampling + options.minutes * 60_000;
  console.log(`\nproportional set size by process (number of processes)\n${HEADER.join('  ')}`);
  for (let next = sampling; ; next += options.sampleSeconds * 1000) {
    await sleep(Math.min(next, end) - performance.now());
    if (stack.child.exitCode !== null) throw new Error(`the stack stopped (exit ${stack.child.exitCode})`);
    const sample = sampleStackMemory(root, sampling);
    history = (await fetchHistory(stack.url)) ?? history;
    sample.history = historyState(history);
    samples.push(sample);
    console.log(sampleRow(sample).join('  '));
    if (next >= end) break;
  }
  await traffic.stop();
  history = (await fetchHistory(stack.url)) ?? history;
  const heartbeatsFailed = failedHeartbeats(logFile);
  const requests = traffic.report();
  const verdict = judgeSoak(samples, options.minutes);

  console.log(`\n${textTable(HEADER, samples.map(sampleRow))}`);
  const last = samples.at(-1);
  if (last) {
    console.log('\nlast sample, process by process:');
    console.log(
      textTable(
        ['pid', 'role', 'Pss', 'command'],
        [...last.processes]
          .sort((a, b) => b.pssBytes - a.pssBytes)
          .map((p) => [String(p.pid), p.role, formatMiB(p.pssBytes), p.command.slice(0, 90)]),
      ),
    );
  }
  console.log('\nclient loop:');
  console.log(
    textTable(
      ['path', 'requests', 'errors', 'p50 ms', 'p95 ms', 'max ms'],
      Object.entries(requests).map(([p, r]) => [
        p,
        String(r.requests),
        String(r.errors),
        formatMs(r.latencyMs.p50),
        formatMs(r.latencyMs.p95),
        formatMs(r.latencyMs.max),
      ]),
    ),
  );
  const trend = (value: number | null) => (value === null ? '–' : `${value >= 0 ? '+' : ''}${value} MiB/h`);
  const holds = (ok: boolean | null) => (ok === null ? 'not judged' : ok ? 'holds' : 'FAILS');
  console.log(
    [
      '',
      `samples: ${verdict.samples} over ${options.minutes} min`,
      `max total: ${verdict.maxTotalMiB} MiB (target ≤ ${Math.round(TOTAL_TARGET_BYTES / 2 ** 20)} MiB at every ` +
        `sample: ${holds(verdict.targets.totalWithinTarget)})`,
      `first → last: ${verdict.firstTotalMiB} → ${verdict.lastTotalMiB} MiB; mean ${verdict.meanTotalMiB} MiB`,
      `trend, every sample: ${trend(verdict.trendMiBPerHour)}`,
      `trend after the first ${verdict.warmUpMinutes} min: ${trend(verdict.trendAfterWarmUpMiBPerHour)} ` +
        `(no growth: ≤ ${verdict.toleranceMiBPerHour} MiB/h, ${GROWTH_TOLERANCE_PER_HOUR * 100} % of the mean an ` +
        `hour: ${holds(verdict.targets.noGrowthTrend)})`,
      ...(verdict.targets.conclusive
        ? []
        : [
            `note: a run under ${CONCLUSIVE_MINUTES} minutes shows the level, not the trend (its first minutes ` +
              'include the demo history being generated and the caches filling): the growth target is judged ' +
              'on a run of the full hour, `npm run bench:soak`.',
          ]),
      historyLine(history),
      `heartbeats the fleet reported unanswered: ${heartbeatsFailed}`,
      `reproduce: ${command}`,
    ].join('\n'),
  );

  if (options.out)
    writeResults(
      options.out,
      {
        benchmark: 'soak',
        machine,
        options,
        ports,
        readySeconds,
        targets: { totalBytes: TOTAL_TARGET_BYTES, growthTolerancePerHour: GROWTH_TOLERANCE_PER_HOUR },
        verdict,
        history,
        heartbeatsFailed,
        samples,
        requests,
        command,
      },
      started,
      command,
    );
  // The stack's log stays for a look at what it did; say where.
  writeFileSync(logFile, `\n[soak] finished; the stack is stopped next\n`, { flag: 'a' });
  console.log(`\nthe stack's output: ${logFile}`);
});
