import { inArray, sql } from 'drizzle-orm';
import { MS_PER_HOUR, ManualClock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { nodeStatusIntervals, nodes } from '@/lib/db/schema';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import {
  runDemoHistoryBatch,
  startDemoHistory,
  type BatchResult,
  type DemoHistoryOptions,
} from '@/simulator/history/generator';
import { DEFAULT_INCENTIVES } from '@/lib/incentives/config';
import { TEST_ORCHESTRATION } from '@/lib/testing/orchestration-fixture';

/**
 * Test fixtures of the demo history: a small seeded network, made flaky so hosts are lost often enough for a
 * short history to show failovers, and the options of a short history on it.
 */

/**
 * Started at midnight on 5 March, so the span's days are whole: a history of up to 60 days crosses the
 * February/March boundary.
 */
export const HISTORY_NOW = new Date('2026-03-05T00:00:00Z');

export function historyOptions(
  seed: number,
  overrides: Partial<DemoHistoryOptions> = {},
): DemoHistoryOptions {
  return {
    seed,
    days: 12,
    customers: 30,
    // Two placements: a job whose host is lost twice fails; once, it resumes elsewhere.
    orchestration: { ...TEST_ORCHESTRATION, maxAttempts: 2 },
    incentives: DEFAULT_INCENTIVES,
    ...overrides,
  };
}

/**
 * Replaces the status history of every demo node with a regular one: up `upHours`, down an hour, each node
 * shifted by a few hours so they do not all fail at once; the open interval last, as the seed writes it.
 */
export async function makeNetworkFlaky(db: Db, from: Date, to: Date, upHours: number): Promise<void> {
  const rows = await db.select({ id: nodes.id }).from(nodes).orderBy(nodes.id);
  const ids = rows.map((r) => r.id);
  await db.delete(nodeStatusIntervals).where(inArray(nodeStatusIntervals.nodeId, ids));
  const spans: { nodeId: string; status: 'online' | 'lost'; startedAt: Date; endedAt: Date | null }[] = [];
  const cycle = (upHours + 1) * MS_PER_HOUR;
  ids.forEach((nodeId, i) => {
    let t = from.getTime() - ((i * 5) % (upHours + 1)) * MS_PER_HOUR;
    while (t < to.getTime()) {
      spans.push({
        nodeId,
        status: 'online',
        startedAt: new Date(t),
        endedAt: new Date(t + upHours * MS_PER_HOUR),
      });
      spans.push({
        nodeId,
        status: 'lost',
        startedAt: new Date(t + upHours * MS_PER_HOUR),
        endedAt: new Date(t + cycle),
      });
      t += cycle;
    }
    spans.push({ nodeId, status: 'online', startedAt: new Date(t), endedAt: null });
  });
  for (let i = 0; i < spans.length; i += 500)
    await db.insert(nodeStatusIntervals).values(spans.slice(i, i + 500));
}

/** Seeds a small demo network (all nodes joined long before the history) and starts a history on it. */
export async function prepareHistory(
  db: Db,
  options: DemoHistoryOptions,
  network: { nodes: number; flakyUpHours?: number },
): Promise<ManualClock> {
  const clock = new ManualClock(HISTORY_NOW);
  await seedDemoNetwork(db, {
    seed: options.seed,
    nodeCount: network.nodes,
    now: HISTORY_NOW,
    historyDays: 31,
  });
  if (network.flakyUpHours) {
    const to = new Date(Math.floor(HISTORY_NOW.getTime() / 86_400_000) * 86_400_000);
    await makeNetworkFlaky(db, new Date(to.getTime() - 40 * 86_400_000), to, network.flakyUpHours);
  }
  await startDemoHistory(db, clock, options);
  return clock;
}

/** Runs batches until the history is complete (or `limit` batches ran); answers the batches run. */
export async function runHistory(
  db: Db,
  clock: ManualClock,
  options: DemoHistoryOptions,
  limit = Infinity,
): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  while (results.length < limit) {
    const result = await runDemoHistoryBatch(db, clock, options);
    results.push(result);
    if (result.done) break;
  }
  return results;
}

/**
 * What a history made, per simulated day, independent of row ids: jobs launched by final state, attempts by
 * state, what was charged, captured, released, deposited and emitted. Two equal histories give equal rows.
 */
export async function historyFingerprint(db: Db): Promise<unknown[]> {
  const jobs = await queryRows(
    db,
    sql`select to_char(j.queued_at, 'YYYY-MM-DD') as day, j.state, count(*)::int as jobs,
          sum(j.charged_micros)::text as charged, sum(j.released_micros)::text as released,
          sum(j.budget_micros)::text as budget, sum(j.attempt_count)::int as attempts,
          sum((select coalesce(sum(a.forfeited_ms), 0) from job_attempts a where a.job_id = j.id))::text as forfeited
        from jobs j group by 1, 2 order by 1, 2`,
  );
  const ledger = await queryRows(
    db,
    sql`select to_char(t.created_at, 'YYYY-MM-DD') as day, t.kind, p.currency, count(distinct t.id)::int as n,
          sum(case when p.amount_micros > 0 then p.amount_micros else 0 end)::text as moved
        from ledger_transactions t join ledger_postings p on p.transaction_id = t.id
        group by 1, 2, 3 order by 1, 2, 3`,
  );
  const epochs = await queryRows(
    db,
    sql`select epoch_start, emission_micros::text, gpu_seconds::text from incentive_epochs order by epoch_start`,
  );
  return [jobs, ledger, epochs];
}
