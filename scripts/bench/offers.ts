/**
 * `npm run bench:offers` — offer search over 100,000 generated offers, on PostgreSQL and on PGlite: the API
 * under autocannon load (50 connections), the raw SQL time of the same queries, EXPLAIN of each query,
 * page 1,000 against page 1, and peak memory. `-- --help` lists the options for a shorter run.
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseBenchArgs, USAGE, type BenchOptions } from '@/scripts/bench/lib/args';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { ensureBenchBuild } from '@/scripts/bench/lib/next-server';
import { generateOfferData } from '@/scripts/bench/lib/offer-data';
import {
  concurrencyTable,
  cpuTable,
  machineInfo,
  queryTable,
  summaryTable,
  TARGETS,
  verdicts,
} from '@/scripts/bench/lib/report';
import {
  loadEngine,
  measureEngine,
  type EngineResult,
  type LoadedEngine,
} from '@/scripts/bench/lib/run-engine';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';

const root = process.cwd();
const RESULTS_FILE = path.join('bench-results', 'offers.json');

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:offers -- ${argv.join(' ')}` : 'npm run bench:offers';
}

interface DataSummary {
  seed: number;
  nodes: number;
  offers: number;
  gpus: number;
  accounts: number;
  generateMs: number;
}

/**
 * Generates the network and loads it into every engine. The generated objects live only in this function,
 * so they can be collected before anything is timed.
 */
async function generateAndLoad(
  options: BenchOptions,
  cleanup: Cleanup,
): Promise<{ summary: DataSummary; loaded: LoadedEngine[] }> {
  const data = generateOfferData(options.offers, options.seed);
  console.log(
    `• generated ${data.offers.length.toLocaleString('en-US')} offers from ${data.nodeCount.toLocaleString('en-US')} nodes ` +
      `(seed ${data.seed}, ${data.gpus.length.toLocaleString('en-US')} GPUs, ${data.accounts.length.toLocaleString('en-US')} accounts) ` +
      `in ${(data.generateMs / 1000).toFixed(1)} s; ${data.skippedStatusIntervals.toLocaleString('en-US')} status intervals ` +
      `and ${data.skippedVerifications.toLocaleString('en-US')} verifications are not loaded (the search does not read them)`,
  );
  const loaded: LoadedEngine[] = [];
  for (const engine of options.engines) loaded.push(await loadEngine(engine, data, options, cleanup));
  return {
    summary: {
      seed: data.seed,
      nodes: data.nodeCount,
      offers: data.offers.length,
      gpus: data.gpus.length,
      accounts: data.accounts.length,
      generateMs: data.generateMs,
    },
    loaded,
  };
}

async function benchmark(options: BenchOptions, argv: readonly string[], cleanup: Cleanup): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  const command = reproduceCommand(argv);
  console.log(`Offer search benchmark — ${command}`);
  console.log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${machine.os}; load average at start ${machine.loadAverageAtStart}`,
  );

  // Build first: a broken build then fails in seconds, not after a minute of generating and loading data.
  const build = await ensureBenchBuild(root, console.log);

  const { summary: data, loaded } = await generateAndLoad(options, cleanup);
  const results: EngineResult[] = [];
  for (const engine of loaded) results.push(await measureEngine(engine, options, root, cleanup));

  const benchPeakRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(
    `\nOffer search, ${data.offers.toLocaleString('en-US')} offers, ${options.connections} connections, ${options.duration} s per engine`,
  );
  console.log(summaryTable(results, benchPeakRssBytes));
  for (const r of results) {
    console.log(`\n${r.engine}: per query (ms; "load" = under ${options.connections} connections)`);
    console.log(queryTable(r));
  }
  console.log(`\nLatency against concurrency; the static route is the framework floor (no database)`);
  console.log(concurrencyTable(results));
  console.log(`\nCPU ms per request at ${options.connections} connections, by process`);
  console.log(cpuTable(results));
  console.log(
    '\nAPI÷SQL: API p50 ÷ in-process searchOffers p50. Server peak RSS: highest sampled resident memory of the ' +
      'next start process tree (PGlite runs inside it); bench peak RSS: this process (data generation included).',
  );

  const loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(
    `\nLoad average (1 min): ${machine.loadAverageAtStart} at start, ${loadAverageAtEnd} at end ` +
      `(on ${machine.cpus} CPUs; the benchmark itself keeps about ${machine.cpus} busy during the load tests)`,
  );
  for (const r of results.filter((result) => result.cpu.otherBusyCores > 0.25)) {
    console.log(
      `! ${r.engine}: other processes kept ${r.cpu.otherBusyCores.toFixed(2)} cores busy during the load test; ` +
        'its figures are pessimistic — rerun on an idle machine to compare',
    );
  }
  for (const r of results) {
    // An index scan without a sort can still be slow when the filter rejects most rows the index walks.
    const wasteful = r.queries.filter((q) => q.plan.rowsRemovedByFilter > 20 * Math.max(1, q.rows));
    if (wasteful.length) {
      console.log(
        `! ${r.engine}: the index walk discards over 20 rows per row returned for ` +
          wasteful
            .map((q) => `${q.id} (${Math.round(q.plan.rowsRemovedByFilter).toLocaleString('en-US')})`)
            .join(', '),
      );
    }
  }
  const checks = verdicts(results);
  console.log('\nTargets:');
  for (const check of checks)
    console.log(`  ${check.met ? 'met    ' : 'NOT MET'}  ${check.label}: ${check.detail}`);

  writeResults(
    RESULTS_FILE,
    {
      benchmark: 'offers',
      date: new Date().toISOString(),
      command,
      machine: { ...machine, loadAverageAtEnd },
      options,
      targets: TARGETS,
      build,
      data,
      benchPeakRssBytes,
      results,
      checks,
    },
    started,
    command,
  );
}

runBenchmark(parseBenchArgs, USAGE, benchmark);
