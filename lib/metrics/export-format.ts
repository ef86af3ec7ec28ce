import { createHash } from 'node:crypto';

/**
 * The format of the public daily exports (docs/metrics.md, "Recompute the metrics yourself"): what a file holds,
 * how it is hashed, chained and signed. Pure, shared by the server that writes the files
 * (lib/metrics/exports.ts) and the verifier that checks them (lib/metrics/verify.ts), so both agree on every
 * byte they hash and sign.
 *
 * A file is one JSON document (UTF-8, no trailing newline) for one closed UTC day. Rows are assigned to the day
 * their record happened: a charge to its ledger transaction's time, a job to its end, a placement to the first
 * placement, an epoch to its start, a deposit or ledger payout to its ledger transaction, an on-chain payout to
 * its confirmation. Entities appear as pseudonyms (HMAC-SHA256 under a server-held key, see exports.ts), amounts
 * as integer strings of micro-units, times as ISO 8601 UTC.
 *
 * Version 2 (from version 1): deposit rows carry their ledger kind (`deposit` or `simulated_funding`) and
 * `selfDealing` is the rule the metrics exclude (lib/metrics/self-dealing.ts). Version 3 (from version 2): ledger
 * payout rows carry their ledger kind (`payout` or `simulated_payout`); a version 2 file has payouts only (the
 * simulated kind did not exist yet), so its rows read as `payout`.
 */

export const EXPORT_FORMAT = 'backfill-metrics-export/3';
/** The formats the verifier reads: this one, and version 2 (files published before version 3, unchanged). */
export const READABLE_EXPORT_FORMATS: readonly string[] = ['backfill-metrics-export/2', EXPORT_FORMAT];
export const GENESIS_CHAIN_HASH = '0'.repeat(64);

/** A capture or refund ledger transaction. */
export interface ExportCharge {
  at: string;
  kind: 'capture' | 'refund';
  attempt: string;
  job: string;
  customer: string;
  supplier: string;
  /** What the customer paid (negative for a refund), and its split: fee and supplier share. */
  chargedMicros: string;
  feeMicros: string;
  supplierMicros: string;
  /** Capture: the attempt's cumulative metered milliseconds named in its key; refund: the attempt's metered ms. */
  meteredMs: number;
  gpuCount: number;
  /**
   * GPU-milliseconds this transaction settles: (meteredMs − the attempt's previous capture's meteredMs) ×
   * gpuCount for a capture, −meteredMs × gpuCount for a refund.
   */
  paidGpuMs: string;
  simulated: boolean;
  /**
   * Self-dealt: the job's customer and the attempt's supplier are the same account or linked wallets — the rule
   * the metrics exclude (lib/metrics/self-dealing.ts, `isSelfDealingSql`), read when the day was exported.
   */
  selfDealing: boolean;
}

/** A customer job that ended this day. */
export interface ExportJob {
  job: string;
  customer: string;
  state: 'succeeded' | 'failed' | 'cancelled' | 'out_of_budget';
  /** At least one attempt's host vanished. */
  hostLost: boolean;
  /** At least one attempt failed because the workload failed. */
  workloadFailed: boolean;
  queuedAt: string;
  firstPlacedAt: string | null;
  endedAt: string;
  gpuModel: string | null;
  gpuCount: number;
  region: string | null;
  simulated: boolean;
  /** The job's customer deals with itself through the supplier of one of its attempts (same rule as charges). */
  selfDealing: boolean;
}

/** A customer job's first placement (time to schedule), this day. */
export interface ExportPlacement {
  job: string;
  queuedAt: string;
  placedAt: string;
  /** Whole seconds from launch to placement (floor). */
  waitSeconds: number;
  simulated: boolean;
}

export interface ExportReward {
  node: string;
  supplier: string;
  gpuSeconds: number;
  tokenMicros: string;
  usdMicros: string;
}

/** A closed incentive epoch that started this day. */
export interface ExportEpoch {
  start: string;
  end: string;
  verifiedGpuSeconds: number;
  emissionMicros: string;
  usdPriceMicros: string;
  rewards: ExportReward[];
}

/**
 * A credit of a customer's available balance from outside: a ledger `deposit` (which must be backed by a credited
 * on-chain deposit) or `simulated_funding` (the simulated demo network's ledger-only money, never a deposit).
 */
export interface ExportDeposit {
  at: string;
  /** The ledger transaction's kind. */
  kind: 'deposit' | 'simulated_funding';
  customer: string;
  amountMicros: string;
  /** The credited on-chain deposit with its tx hash: chain, tx hash, amount read from its log; null when none. */
  chainId: number | null;
  txHash: string | null;
  onchainMicros: string | null;
  simulated: boolean;
}

/**
 * Supplier earnings that left the ledger: a settled `payout` (out of the supplier's pending payouts, which must be
 * confirmed on-chain) or a `simulated_payout` (a simulated demo supplier's ledger-only withdrawal out of its
 * payable, never on-chain, never a payout).
 */
export interface ExportLedgerPayout {
  at: string;
  /** The ledger transaction's kind; absent in a version 2 file, where every row is a `payout`. */
  kind: 'payout' | 'simulated_payout';
  supplier: string;
  amountMicros: string;
  simulated: boolean;
}

/** A payout confirmed on-chain, by its confirmation time. */
export interface ExportChainPayout {
  at: string;
  supplier: string;
  amountMicros: string;
  chainId: number;
  txHash: string;
  simulated: boolean;
}

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  day: string;
  charges: ExportCharge[];
  jobs: ExportJob[];
  placements: ExportPlacement[];
  epochs: ExportEpoch[];
  deposits: ExportDeposit[];
  ledgerPayouts: ExportLedgerPayout[];
  chainPayouts: ExportChainPayout[];
}

export const EXPORT_SECTIONS = [
  'charges',
  'jobs',
  'placements',
  'epochs',
  'deposits',
  'ledgerPayouts',
  'chainPayouts',
] as const;

export type ExportSection = (typeof EXPORT_SECTIONS)[number];

/** The file's bytes as served and hashed: JSON.stringify of the document, keys in the order above. */
export function serializeExport(file: ExportFile): string {
  return JSON.stringify(file);
}

export function rowCounts(file: ExportFile): Record<ExportSection, number> {
  return Object.fromEntries(EXPORT_SECTIONS.map((s) => [s, file[s].length])) as Record<ExportSection, number>;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** chain(D) = sha256(bytes of chain(D−1) ‖ bytes of sha256(file D)), both 32-byte digests. */
export function chainHash(previousChainHash: string, fileSha256: string): string {
  return sha256Hex(Buffer.concat([Buffer.from(previousChainHash, 'hex'), Buffer.from(fileSha256, 'hex')]));
}

/** The text the marketplace key signs (EIP-191 personal message) for a day's manifest entry. */
export function exportEntryMessage(entry: {
  day: string;
  sha256: string;
  previousChainHash: string;
  chainHash: string;
}): string {
  return [
    'Backfill metrics export',
    `day: ${entry.day}`,
    `sha256: ${entry.sha256}`,
    `previous: ${entry.previousChainHash}`,
    `chain: ${entry.chainHash}`,
  ].join('\n');
}
