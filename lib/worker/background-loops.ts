import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { sweepStoredFiles } from '@/lib/files/retention';
import { workerLoops } from '@/lib/db/schema';
import type { LoopLocks } from '@/lib/worker/loop-locks';
import { serverBlobStore } from '@/lib/storage/server-store';
import type { BlobStore } from '@/lib/storage/store';
import { pruneRateLimits } from '@/lib/auth/rate-limit';
import { pruneNonces } from '@/lib/auth/siwe';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { advanceDeposits } from '@/lib/deposits/advance-deposits';
import type { ChainDeps } from '@/lib/chain/deps';
import { serverEnv } from '@/lib/env';
import { indexTreasuryTransfers } from '@/lib/deposits/indexer';
import { orchestrationConfig, type OrchestrationConfig } from '@/lib/jobs/config';
import { failOverLostNodes } from '@/lib/jobs/liveness';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { scheduleQueuedJobs } from '@/lib/scheduler/schedule';
import { processPayouts } from '@/lib/payouts/process-payouts';
import { closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import { getHistoryStatus } from '@/lib/metrics/history-status';
import { generateMetricExports } from '@/lib/metrics/exports';
import { refreshRecentMetricRollups } from '@/lib/metrics/rollups';
import { incentiveConfig } from '@/lib/incentives/config';
import { closeOverdueChallenges, issueDueChallenges } from '@/lib/verification/challenges';
import { quarantineNode } from '@/lib/verification/quarantine';

/** How often offers are re-derived from node state and history (reliability moves slowly). */
export const OFFER_REFRESH_INTERVAL_MS = 5 * 60_000;
/** How often the chain is read for new treasury transfers and deposits gain confirmations (Base: 2 s blocks). */
export const DEPOSIT_WATCH_INTERVAL_MS = 2_000;
/** How often payouts are signed, broadcast and reconciled. */
export const PAYOUT_INTERVAL_MS = 3_000;
const HOUSEKEEPING_INTERVAL_MS = 3_600_000;
/** How often the public metrics' rollups take in the latest records. */
export const METRICS_REFRESH_INTERVAL_MS = 30_000;
/**
 * How often closed days are written to the public raw exports (a day is closed 15 minutes after it ends, and
 * each demo-history day once the history has been generated past it and its incentive epoch is closed).
 */
export const METRICS_EXPORT_INTERVAL_MS = 60_000;
/** Expired uploads, outputs and inputs, and the checkpoints of ended jobs, are deleted this often. */
export const STORAGE_SWEEP_INTERVAL_MS = 60_000;
/** How often finished incentive epochs are closed and paid (an epoch is an hour by default). */
const INCENTIVE_CLOSE_INTERVAL_MS = 60_000;

/**
 * Since when this process has been listening, for judging silent nodes: its start, or the end of its last
 * stall. A tick that starts `stallMs` or more (real time) after the previous one started means the process
 * could not run for that long — on the embedded database it could not answer heartbeats either — so, as after
 * a restart, the silence of that time is not held against any node: nobody is declared lost until the process
 * has listened for a whole lost-after window again. Real time, not the domain clock: a stall is the process's,
 * and a test's manual clock jumping forward is not one.
 */
export function listeningWindow(
  clock: Clock,
  stallMs: number,
  monotonicNow: () => number = () => performance.now(),
): { tick(): Date } {
  let since = clock.now();
  let lastTickAt: number | null = null;
  return {
    tick() {
      const at = monotonicNow();
      if (lastTickAt !== null && at - lastTickAt >= stallMs) since = clock.now();
      lastTickAt = at;
      return since;
    },
  };
}

/**
 * One orchestration tick: fail over nodes silent past the lost-after window, then place queued jobs — so a
 * job whose host vanished is requeued and placed again within one tick.
 */
export async function orchestrationTick(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  upSince: Date | null = null,
) {
  // After a restart (or a stall, `listeningWindow`), nodes could not reach us meanwhile: nobody is declared lost
  // until we have been listening for a whole lost-after window.
  const listening = upSince === null || clock.now().getTime() - upSince.getTime() >= config.lostAfterMs;
  const liveness = listening ? await failOverLostNodes(db, clock, config) : null;
  const verification = listening ? await verificationTick(db, clock, config) : null;
  const schedule = await scheduleQueuedJobs(db, clock, config);
  return { liveness, verification, schedule };
}

/**
 * Hardware verification's share of a tick: challenges past their deadline are judged (a node that is alive
 * but has not answered is slower than it claims, and is quarantined), then due nodes are challenged.
 */
export async function verificationTick(db: Db, clock: Clock, config: OrchestrationConfig) {
  const overdue = await closeOverdueChallenges(db, clock, config);
  for (const verdict of overdue) await quarantineNode(db, clock, config, verdict.nodeId, verdict.detail);
  const issued = await issueDueChallenges(db, clock, config);
  return { failed: overdue.length, issued };
}

export interface Loop {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

export interface BackgroundLoopOptions {
  log?: Pick<Console, 'error'>;
  chain?: ChainDeps | null;
  orchestration?: OrchestrationConfig & { intervalMs: number };
  storage?: BlobStore;
  /** The composition root's own loops (the simulated network's history generator, when the demo runs). */
  extraLoops?: readonly Loop[];
  /**
   * Coordinates the loops with other processes on the same database: each run takes its loop's lock first and
   * is skipped when another worker holds it. Absent → this process is the only one running loops (PGlite).
   */
  locks?: LoopLocks;
  /** Names this process in `worker_loops` (host name and process id by default). */
  workerId?: string;
}

export interface RunningLoops {
  /** Stops scheduling runs, waits for the runs in flight to finish, then releases the locks. */
  stop(): Promise<void>;
}

/** A loop's row in `worker_loops` is rewritten at most this often (the history's loop runs every 10 ms). */
const RECORD_EVERY_MS = 5_000;

/**
 * Periodic background work, in the web process (the embedded stack) or in `npm run worker` processes. Each loop
 * waits for its previous run to finish, so a slow run is never overlapped by the next; a failing run is logged
 * and retried at the next tick. With `locks`, every loop is a singleton across processes, taken run by run, so
 * a worker that dies mid-run is replaced by another at its next tick. Each loop's last run, success and error
 * are recorded in `worker_loops` (what readiness judges a stalled loop by).
 */
export function startBackgroundLoops(
  db: Db,
  clock: Clock,
  options: BackgroundLoopOptions = {},
): RunningLoops {
  const log = options.log ?? console;
  const chain = options.chain ?? null;
  const orchestration = options.orchestration ?? {
    ...orchestrationConfig(),
    intervalMs: serverEnv().SCHEDULER_INTERVAL_MS,
  };
  const storage = options.storage ?? serverBlobStore(clock);
  const workerId = options.workerId;
  // A stall of a third of the lost-after window: a node heartbeating at its interval may have missed a beat or
  // two, and its next answer may come after its own timeout. Only where this process answers the heartbeats
  // itself (no locks: the embedded stack, one process on its database). With several processes the loop runs
  // wherever its lock is won, so the gaps between this process's runs say nothing about a stall, and web
  // instances answer heartbeats whatever a worker does.
  const startedAt = clock.now();
  const listening = options.locks
    ? { tick: () => startedAt }
    : listeningWindow(clock, Math.max(orchestration.lostAfterMs / 3, 5 * orchestration.intervalMs));
  const loops: Loop[] = [
    {
      name: 'orchestration',
      intervalMs: orchestration.intervalMs,
      run: () => orchestrationTick(db, clock, orchestration, listening.tick()),
    },
    { name: 'refresh-offers', intervalMs: OFFER_REFRESH_INTERVAL_MS, run: () => refreshOffers(db, clock) },
    {
      name: 'incentive-epochs',
      // Once a minute, or once an epoch when epochs are shorter.
      intervalMs: Math.min(INCENTIVE_CLOSE_INTERVAL_MS, incentiveConfig().epochMs),
      // While the demo history is being generated it closes the past epochs itself (a day each); the live
      // hourly epochs continue from where it ends.
      run: async () =>
        (await getHistoryStatus(db))?.state === 'generating'
          ? null
          : closeIncentiveEpochs(db, clock, incentiveConfig()),
    },
    {
      name: 'metrics-rollups',
      intervalMs: METRICS_REFRESH_INTERVAL_MS,
      run: () => refreshRecentMetricRollups(db, clock),
    },
    {
      name: 'metrics-exports',
      intervalMs: METRICS_EXPORT_INTERVAL_MS,
      run: () => generateMetricExports(db, clock),
    },
    {
      name: 'housekeeping',
      intervalMs: HOUSEKEEPING_INTERVAL_MS,
      run: () => Promise.all([pruneRateLimits(db, clock), pruneNonces(db, clock)]),
    },
    {
      name: 'storage-sweep',
      intervalMs: STORAGE_SWEEP_INTERVAL_MS,
      run: () => sweepStoredFiles(db, storage, clock),
    },
  ];
  // The composition root's own loops (the simulated network's history generator, when the demo runs).
  loops.push(...(options.extraLoops ?? []));
  if (chain)
    loops.push(
      {
        name: 'deposit-watch',
        intervalMs: DEPOSIT_WATCH_INTERVAL_MS,
        // Find transfers made outside the dashboard first, then move every open deposit on (confirm, credit, reorg).
        run: async () => {
          await indexTreasuryTransfers(chain);
          await advanceDeposits(chain);
        },
      },
      {
        name: 'payouts',
        intervalMs: PAYOUT_INTERVAL_MS,
        // Also the restart reconciliation: payouts signed before a crash are found mined or re-broadcast as is.
        run: async () => {
          const summary = await processPayouts(chain);
          for (const error of summary.errors) log.error(`[worker] payouts: ${error}`);
        },
      },
    );
  return startLoops(db, clock, loops, { log, locks: options.locks, workerId });
}

/**
 * Runs `loops` on their intervals (the mechanism under startBackgroundLoops): never overlapping a loop's
 * previous run, taking its lock first when `locks` is given, recording each run in `worker_loops`.
 */
export function startLoops(
  db: Db,
  clock: Clock,
  loops: readonly Loop[],
  options: { log?: Pick<Console, 'error'>; locks?: LoopLocks; workerId?: string } = {},
): RunningLoops {
  const log = options.log ?? console;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const timers = loops.map((loop) => {
    let running = false;
    let recordedAt = -Infinity;
    let recordedFailure = false;
    const runOnce = async () => {
      if (options.locks && !(await options.locks.tryAcquire(loop.name))) return;
      const startedAt = clock.now();
      const started = performance.now();
      let failure: unknown = null;
      try {
        await loop.run();
      } catch (error) {
        failure = error;
        log.error(`[worker] ${loop.name} failed`, error);
      } finally {
        await options.locks?.release(loop.name);
      }
      // Every failure, and the first success after one, is recorded at once; other successes every few seconds.
      if (failure === null && !recordedFailure && performance.now() - recordedAt < RECORD_EVERY_MS) return;
      recordedAt = performance.now();
      recordedFailure = failure !== null;
      await recordLoopRun(db, {
        name: loop.name,
        intervalMs: loop.intervalMs,
        workerId,
        startedAt,
        durationMs: Math.round(performance.now() - started),
        error: failure,
        at: clock.now(),
      }).catch((error: unknown) => log.error(`[worker] recording the run of ${loop.name} failed`, error));
    };
    const timer = setInterval(() => {
      if (running || stopped) return;
      running = true;
      const run = runOnce().finally(() => {
        running = false;
        inFlight.delete(run);
      });
      inFlight.add(run);
    }, loop.intervalMs);
    timer.unref();
    return timer;
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      timers.forEach((timer) => clearInterval(timer));
      await Promise.allSettled([...inFlight]);
      await options.locks?.close();
    },
  };
}

interface LoopRun {
  name: string;
  intervalMs: number;
  workerId: string;
  startedAt: Date;
  durationMs: number;
  error: unknown;
  at: Date;
}

/** Upserts a loop's row: its last run, and its last success or its last error with the failures since. */
export async function recordLoopRun(db: Db, run: LoopRun): Promise<void> {
  const base = { intervalMs: run.intervalMs, workerId: run.workerId, lastStartedAt: run.startedAt };
  if (run.error === null) {
    const success = {
      ...base,
      lastSuccessAt: run.at,
      lastDurationMs: run.durationMs,
      consecutiveFailures: 0,
    };
    await db
      .insert(workerLoops)
      .values({ name: run.name, ...success })
      .onConflictDoUpdate({ target: workerLoops.name, set: success });
    return;
  }
  const message = (run.error instanceof Error ? run.error.message : String(run.error)).slice(0, 1_000);
  const failure = { ...base, lastError: message, lastErrorAt: run.at };
  await db
    .insert(workerLoops)
    .values({ name: run.name, ...failure, consecutiveFailures: 1 })
    .onConflictDoUpdate({
      target: workerLoops.name,
      set: { ...failure, consecutiveFailures: sql`${workerLoops.consecutiveFailures} + 1` },
    });
}
