import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import { accounts, nodeGpus, nodeStatusIntervals, nodeVerifications, nodes, offers } from '@/lib/db/schema';
import { generateDemoNetwork, type DemoNetworkOptions } from '@/lib/fleet/demo-network';

const BATCH = 500;

async function insertInBatches<T>(
  rows: readonly T[],
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
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
    [
      'status history',
      (tx) => insertInBatches(network.spans, (b) => tx.insert(nodeStatusIntervals).values(b)),
    ],
    [
      'verifications',
      (tx) => insertInBatches(network.verifications, (b) => tx.insert(nodeVerifications).values(b)),
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
