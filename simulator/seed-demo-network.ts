import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import { accounts, nodeGpus, nodes, offers } from '@/lib/db/schema';
import {
  generateDemoNetwork,
  type DemoNetworkOptions,
  type DemoSpan,
  type DemoVerification,
} from '@/simulator/demo-network';

const BATCH = 500;
/** Rows per statement for the long histories, sent as one JSON document (one parameter, not thousands). */
const JSON_BATCH = 10_000;

async function insertInBatches<T>(
  rows: readonly T[],
  insert: (batch: T[]) => Promise<unknown>,
  size = BATCH,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

function insertSpans(tx: Db, spans: DemoSpan[]): Promise<unknown> {
  const json = JSON.stringify(
    spans.map((s) => [s.nodeId, s.status, s.startedAt.toISOString(), s.endedAt?.toISOString() ?? null]),
  );
  return tx.execute(sql`insert into node_status_intervals (node_id, status, started_at, ended_at)
    select (r->>0)::uuid, (r->>1)::node_status, (r->>2)::timestamptz, (r->>3)::timestamptz
    from json_array_elements(${json}::json) as r`);
}

function insertVerifications(tx: Db, rows: DemoVerification[]): Promise<unknown> {
  const json = JSON.stringify(
    rows.map((v) => [
      v.nodeId,
      v.method,
      v.result,
      v.measuredScore,
      v.expectedMin,
      v.expectedMax,
      v.detail,
      v.createdAt.toISOString(),
    ]),
  );
  return tx.execute(sql`insert into node_verifications
      (node_id, method, result, measured_score, expected_min, expected_max, detail, created_at)
    select (r->>0)::uuid, (r->>1)::verification_method, (r->>2)::verification_result, (r->>3)::real,
           (r->>4)::real, (r->>5)::real, r->>6, (r->>7)::timestamptz
    from json_array_elements(${json}::json) as r`);
}

export interface SeedSummary {
  accounts: number;
  nodes: number;
  gpus: number;
  offers: number;
  statusIntervals: number;
  verifications: number;
}

/** True when the database has no supply yet (a fresh install). */
export async function isNetworkEmpty(db: Db): Promise<boolean> {
  const rows = await queryRows<{ present: boolean }>(
    db,
    sql`select exists (select 1 from ${nodes}) as present`,
  );
  return !rows[0]?.present;
}

/**
 * Writes the generated demo network in one transaction, so a crash leaves either all of it or none.
 * `onProgress` receives the share done (0–1) for the start-up progress line.
 */
export async function seedDemoNetwork(
  db: Db,
  options: DemoNetworkOptions,
  onProgress: (done: number, label: string) => void = () => {},
): Promise<SeedSummary> {
  const network = generateDemoNetwork(options);
  const steps: [string, (tx: Db) => Promise<void>][] = [
    ['accounts', (tx) => insertInBatches(network.accounts, (b) => tx.insert(accounts).values(b))],
    ['nodes', (tx) => insertInBatches(network.nodes, (b) => tx.insert(nodes).values(b))],
    ['GPUs', (tx) => insertInBatches(network.gpus, (b) => tx.insert(nodeGpus).values(b))],
    ['status history', (tx) => insertInBatches(network.spans, (b) => insertSpans(tx, b), JSON_BATCH)],
    [
      'verifications',
      (tx) => insertInBatches(network.verifications, (b) => insertVerifications(tx, b), JSON_BATCH),
    ],
    ['offers', (tx) => insertInBatches(network.offers, (b) => tx.insert(offers).values(b))],
  ];
  await db.transaction(async (tx) => {
    for (const [index, [label, run]] of steps.entries()) {
      onProgress(index / steps.length, label);
      await run(tx);
    }
  });
  onProgress(1, 'done');
  return {
    accounts: network.accounts.length,
    nodes: network.nodes.length,
    gpus: network.gpus.length,
    offers: network.offers.length,
    statusIntervals: network.spans.length,
    verifications: network.verifications.length,
  };
}
