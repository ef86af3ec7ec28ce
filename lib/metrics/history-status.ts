import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import type { HistoryStatus } from '@/lib/metrics/schemas';

/** The simulated network's generated history, as the page and the API report it; null when there is none. */
export async function getHistoryStatus(db: Db): Promise<HistoryStatus | null> {
  const [row] = await queryRows<{
    state: string;
    from_at: Date | string;
    to_at: Date | string;
    generated_through: Date | string;
    jobs: number;
    customers: number;
    started_at: Date | string;
    finished_at: Date | string | null;
  }>(
    db,
    sql`select state, from_at, to_at, generated_through, jobs, customers, started_at, finished_at
          from demo_history order by started_at limit 1`,
  );
  if (!row) return null;
  const from = new Date(row.from_at).getTime();
  const to = new Date(row.to_at).getTime();
  const through = new Date(row.generated_through).getTime();
  const state = row.state === 'complete' || row.state === 'failed' ? row.state : 'generating';
  const progress =
    state === 'complete' ? 1 : to > from ? Math.min(1, Math.max(0, (through - from) / (to - from))) : 0;
  return {
    state,
    progress: Math.round(progress * 1000) / 1000,
    fromAt: new Date(from).toISOString(),
    toAt: new Date(to).toISOString(),
    generatedThrough: new Date(through).toISOString(),
    jobs: row.jobs,
    customers: row.customers,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
  };
}
