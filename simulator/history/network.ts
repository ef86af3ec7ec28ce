import { sql } from 'drizzle-orm';
import { MS_PER_DAY } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import type { NodeStatus } from '@/lib/db/schema';
import { findGpuModel } from '@/lib/market/gpu-models';
import {
  RELIABILITY_WINDOW_DAYS,
  UP_STATUSES,
  reliabilityBasisPoints,
  type StatusSpan,
} from '@/lib/market/uptime';
import type { PlacedNode } from '@/lib/scheduler/schedule';

/**
 * The demo network as the history sees it: every node of a demo supplier, with the status history and the
 * first passed benchmark the seed gave it. Only what the seed wrote before the history's end is used, so the
 * live marketplace changing nodes afterwards (new status rows, quarantines) never changes a resumed history.
 */
export interface HistoryNode extends PlacedNode {
  /** When the node first passed its benchmark: from then on the scheduler may place work on it. */
  verifiedFrom: number | null;
  /** Its true speed against the claimed model's reference (the first benchmark's measured score ÷ reference). */
  perf: number;
  /** Its status history, oldest first (all statuses, for reliability). */
  spans: StatusSpan[];
  /** Stretches up (online or busy), merged, oldest first; an end of Infinity means "up at the history's end". */
  up: [number, number][];
}

interface NodeRow {
  id: string;
  owner_account_id: string;
  name: string;
  region: string;
  gpu_model: string;
  gpu_count: number;
  vram_gb: number;
  price: string;
  verified_at: Date | string | null;
  score: number | null;
}

interface SpanRow {
  node_id: string;
  status: NodeStatus;
  started_at: Date | string;
  ended_at: Date | string | null;
}

/** Loads the demo nodes (sorted by id) and their history before `to`. */
export async function loadHistoryNetwork(db: Db, to: Date): Promise<HistoryNode[]> {
  const toIso = to.toISOString();
  const rows = await queryRows<NodeRow>(
    db,
    sql`select n.id, n.owner_account_id, n.name, n.region, n.gpu_model, n.gpu_count, n.vram_gb,
          n.price_per_gpu_hour_micros::text as price, v.created_at as verified_at, v.measured_score as score
        from nodes n
        join accounts a on a.id = n.owner_account_id and a.is_demo
        left join lateral (
          select created_at, measured_score from node_verifications
          where node_id = n.id and method = 'benchmark' and result = 'pass' and created_at < ${toIso}::timestamptz
          order by created_at, id limit 1) v on true
        where n.created_at < ${toIso}::timestamptz
        order by n.id`,
  );
  const spanRows = await queryRows<SpanRow>(
    db,
    sql`select i.node_id, i.status, i.started_at, i.ended_at from node_status_intervals i
        join nodes n on n.id = i.node_id join accounts a on a.id = n.owner_account_id and a.is_demo
        where i.started_at < ${toIso}::timestamptz
        order by i.node_id, i.started_at, i.id`,
  );
  const spans = new Map<string, StatusSpan[]>();
  for (const r of spanRows) {
    const endedAt = r.ended_at === null ? null : new Date(r.ended_at);
    const span: StatusSpan = {
      status: r.status,
      startedAt: new Date(r.started_at),
      // What happened after the history's end is not the history's business.
      endedAt: endedAt === null || endedAt >= to ? null : endedAt,
    };
    const list = spans.get(r.node_id);
    if (list) list.push(span);
    else spans.set(r.node_id, [span]);
  }
  const nodes: HistoryNode[] = [];
  for (const row of rows) {
    const model = findGpuModel(row.gpu_model);
    if (!model) continue;
    const history = spans.get(row.id) ?? [];
    nodes.push({
      id: row.id,
      ownerAccountId: row.owner_account_id,
      name: row.name,
      region: row.region,
      gpuModel: row.gpu_model,
      gpuCount: Number(row.gpu_count),
      vramGb: Number(row.vram_gb),
      price: BigInt(row.price),
      verifiedFrom: row.verified_at === null ? null : new Date(row.verified_at).getTime(),
      perf: row.score === null ? 1 : Number(row.score) / model.relativeThroughput,
      spans: history,
      up: upStretches(history),
    });
  }
  return nodes;
}

/** Merged stretches of up-time of a status history. */
export function upStretches(spans: readonly StatusSpan[]): [number, number][] {
  const up: [number, number][] = [];
  for (const span of spans) {
    if (!UP_STATUSES.has(span.status)) continue;
    const start = span.startedAt.getTime();
    const end = span.endedAt === null ? Infinity : span.endedAt.getTime();
    const last = up.at(-1);
    if (last && last[1] >= start) last[1] = Math.max(last[1], end);
    else up.push([start, end]);
  }
  return up;
}

/** The node's reliability as the market showed it on the day starting at `dayStart` (its last 30 days). */
export function reliabilityOn(node: HistoryNode, dayStart: number): number {
  const from = dayStart - (RELIABILITY_WINDOW_DAYS + 1) * MS_PER_DAY;
  // Spans are sorted by start: skip the ones that ended before the window with a binary search on start
  // (a span starting before the window's start may still reach into it, so step back one).
  let lo = 0;
  let hi = node.spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((node.spans[mid] as StatusSpan).startedAt.getTime() < from) lo = mid + 1;
    else hi = mid;
  }
  const window: StatusSpan[] = [];
  for (let i = Math.max(0, lo - 1); i < node.spans.length; i++) {
    const span = node.spans[i] as StatusSpan;
    if (span.startedAt.getTime() >= dayStart) break;
    window.push(span);
  }
  return reliabilityBasisPoints(window, new Date(dayStart));
}
