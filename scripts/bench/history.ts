/**
 * `npm run bench:history` — how long the simulated network's history takes to write, on a fresh PGlite data
 * directory (the embedded default) with nothing else running: the default network (DEMO_NODES, 300) and
 * history (DEMO_HISTORY_DAYS, 400) with the set-based writer, then the first `--reference-days` (default 90)
 * days again on a second fresh directory with both writers side by side, for the ratio. Prints jobs, seconds,
 * jobs per second and the machine. `--nodes N`, `--days N`, `--reference-days N` change the sizes.
 *
 * What a new user waits for in `npm start` is longer — the live fleet heartbeats into the same database
 * meanwhile — and is checked by the browser suite (e2e/first-start.spec.ts: at most three minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MS_PER_DAY, ManualClock } from '@/lib/clock';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '@/lib/db/client';
import { useReceiptSigner as signReceiptsWith } from '@/lib/receipts/signer';
import { machineInfo } from '@/scripts/bench/lib/report';
import {
  demoHistoryOptions,
  demoHistoryRecordDays,
  forgetDemoHistorySimulation,
  runDemoHistoryBatch,
  startDemoHistory,
  type DemoHistoryOptions,
} from '@/simulator/history/generator';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '300' },
    days: { type: 'string', default: '400' },
    'reference-days': { type: 'string', default: '90' },
    seed: { type: 'string', default: '42' },
  },
});
const NODES = Number(values.nodes);
const DAYS = Number(values.days);
const REFERENCE_DAYS = Number(values['reference-days']);
const SEED = Number(values.seed);
const NOW = new Date('2026-12-07T05:25:00Z');

interface Run {
  writer: 'bulk' | 'domain';
  days: number;
  jobs: number;
  seconds: number;
}

async function freshDatabase(dirs: string[]): Promise<DatabaseHandle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-history-'));
  dirs.push(dir);
  const handle = await openDatabase({ engine: 'pglite', dataDir: dir });
  await migrateDatabase(handle);
  return handle;
}

/** Seeds the network and writes `days` of its history (or stops after `stopAfterDays`), timed. */
async function run(dirs: string[], writer: 'bulk' | 'domain', stopAfterDays: number | null): Promise<Run> {
  forgetDemoHistorySimulation();
  const handle = await freshDatabase(dirs);
  try {
    const { db } = handle;
    await seedDemoNetwork(db, {
      seed: SEED,
      nodeCount: NODES,
      now: NOW,
      historyDays: demoHistoryRecordDays(NOW, DAYS),
    });
    const options: DemoHistoryOptions = {
      ...demoHistoryOptions(),
      seed: SEED,
      days: DAYS,
      customers: Math.max(10, Math.round((NODES * 4) / 3)),
      writer,
    };
    const clock = new ManualClock(NOW);
    const row = await startDemoHistory(db, clock, options);
    if (!row) throw new Error('no history');
    const stop = stopAfterDays === null ? Infinity : row.fromAt.getTime() + stopAfterDays * MS_PER_DAY;
    const started = performance.now();
    let jobs = 0;
    for (;;) {
      const batch = await runDemoHistoryBatch(db, clock, options);
      jobs += batch.jobs ?? 0;
      if (batch.done || batch.generatedThrough.getTime() >= stop) {
        const days = (batch.generatedThrough.getTime() - row.fromAt.getTime()) / MS_PER_DAY;
        return { writer, days: Math.round(days), jobs, seconds: (performance.now() - started) / 1000 };
      }
    }
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  // A key of its own: the benchmark never touches a data directory's receipt key.
  signReceiptsWith(privateKeyToAccount(generatePrivateKey()));
  const dirs: string[] = [];
  try {
    console.log(`machine: ${JSON.stringify(machineInfo())}`);
    console.log(`network: ${NODES} nodes, seed ${SEED}; history: ${DAYS} days`);
    const full = await run(dirs, 'bulk', null);
    const bulk = await run(dirs, 'bulk', REFERENCE_DAYS);
    const domain = await run(dirs, 'domain', REFERENCE_DAYS);
    const line = (r: Run) =>
      `${r.writer.padEnd(7)} ${String(r.days).padStart(4)} days ${String(r.jobs).padStart(6)} jobs ` +
      `${r.seconds.toFixed(1).padStart(7)} s ${(r.jobs / r.seconds).toFixed(1).padStart(7)} jobs/s`;
    console.log('\nwhole history, set-based writer (the default):');
    console.log(line(full));
    console.log(
      `\nfirst ${REFERENCE_DAYS} days, both writers (the reference calls the domain functions job by job):`,
    );
    console.log(line(bulk));
    console.log(line(domain));
    console.log(`set-based is ${(domain.seconds / bulk.seconds).toFixed(1)}× faster over the same days`);
    console.log('\nreproduce: npm run bench:history');
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
