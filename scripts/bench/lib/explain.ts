import { searchOffers } from '@/lib/market/search-offers';
import type { OfferSearchQuery } from '@/lib/market/offer-schemas';
import type { BenchDatabase } from '@/scripts/bench/lib/bench-database';

export interface PlanSummary {
  /** Node types from the root down, e.g. ["Limit", "Index Scan"]. */
  nodeTypes: string[];
  indexes: string[];
  /** An Index Scan or Index Only Scan delivers the rows (no bitmap or sequential scan). */
  indexScan: boolean;
  /** A Sort or Incremental Sort node orders the rows. */
  sort: boolean;
  /** Rows the scan read and threw away because a filter rejected them. */
  rowsRemovedByFilter: number;
  executionMs: number;
  sql: string;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

interface ExplainOutput {
  Plan: PlanNode;
  'Execution Time'?: number;
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/**
 * Runs `searchOffers` on the tracing drizzle to capture the exact statement and parameters it sends, then
 * EXPLAIN ANALYZE of that statement. ANALYZE adds the rows a filter discarded, which is what makes an
 * index walk slow when a filter is selective but the index follows the sort key.
 */
export async function explainSearch(db: BenchDatabase, query: OfferSearchQuery): Promise<PlanSummary> {
  db.takeStatements();
  await searchOffers(db.traced, query);
  const statements = db.takeStatements();
  const statement = statements[0];
  if (statements.length !== 1 || !statement) {
    throw new Error(`expected searchOffers to send one statement, saw ${statements.length}`);
  }
  const rows = await db.query<{ 'QUERY PLAN': unknown }>(
    `explain (analyze, buffers, format json) ${statement.text}`,
    statement.params,
  );
  const raw = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as ExplainOutput[];
  const output = parsed[0];
  if (!output) throw new Error('EXPLAIN returned no plan');
  const summary: PlanSummary = {
    nodeTypes: [],
    indexes: [],
    indexScan: false,
    sort: false,
    rowsRemovedByFilter: 0,
    executionMs: output['Execution Time'] ?? Number.NaN,
    sql: statement.text,
  };
  walk(output.Plan, (node) => {
    const type = node['Node Type'];
    summary.nodeTypes.push(type);
    if (node['Index Name']) summary.indexes.push(node['Index Name']);
    if (type === 'Index Scan' || type === 'Index Only Scan') summary.indexScan = true;
    if (type === 'Sort' || type === 'Incremental Sort') summary.sort = true;
    summary.rowsRemovedByFilter += (node['Rows Removed by Filter'] ?? 0) * (node['Actual Loops'] ?? 1);
  });
  return summary;
}
