import { eq, sql } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  accounts,
  ledgerAccounts,
  type LedgerAccountKind,
  type LedgerCurrency,
  type LedgerTransactionKind,
} from '@/lib/db/schema';
import { postTransaction, type LedgerAccountRef } from '@/lib/ledger/post-transaction';

/**
 * The money movements of the marketplace, each one balanced transaction. Money enters and leaves through
 * the `external` account (the chain), so the sum over every account of a currency is always zero.
 */
const usdc = (kind: LedgerAccountKind, owner: string | null): LedgerAccountRef => ({
  kind,
  owner,
  currency: 'usdc',
});
const EXTERNAL_USDC = usdc('external', null);

function positive(amount: bigint, what: string): void {
  if (amount <= 0n) throw new AppError('unprocessable', `${what} must be a positive amount.`);
}

interface Common {
  memo: string;
  idempotencyKey?: string;
}

/** One amount from one account to another: the shape of every movement but a capture. */
function transfer(
  db: Db,
  clock: Clock,
  kind: LedgerTransactionKind,
  from: LedgerAccountRef,
  to: LedgerAccountRef,
  input: Common & { amountMicros: bigint },
) {
  positive(input.amountMicros, `The ${kind}`);
  return postTransaction(db, clock, {
    kind,
    memo: input.memo,
    idempotencyKey: input.idempotencyKey,
    entries: [
      { account: from, amountMicros: -input.amountMicros },
      { account: to, amountMicros: input.amountMicros },
    ],
  });
}

/** A movement between two ledger accounts of the same owner (a hold, a release, a payout reserve…). */
function withinOwner(
  db: Db,
  clock: Clock,
  kind: LedgerTransactionKind,
  owner: string,
  [from, to]: [LedgerAccountKind, LedgerAccountKind],
  input: Common & { amountMicros: bigint },
) {
  return transfer(db, clock, kind, usdc(from, owner), usdc(to, owner), input);
}

/**
 * A confirmed on-chain deposit becomes spendable balance. Only the deposit flow (lib/deposits) calls this, with
 * the credited deposit record linked to the transaction: a `deposit` is always backed by a USDC transfer to the
 * treasury, and the reconciliation with the chain (lib/reconciliation) reports any that is not as a failure.
 * Ledger-only money of the simulated demo network is `creditSimulatedFunding`.
 */
export function creditDeposit(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  return transfer(db, clock, 'deposit', EXTERNAL_USDC, usdc('customer_available', input.customer), input);
}

/** Refuses a simulated movement for an account that is not a demo account of the simulated network. */
async function requireDemoAccount(db: Db, account: string, what: string): Promise<void> {
  const [row] = await db
    .select({ isDemo: accounts.isDemo })
    .from(accounts)
    .where(eq(accounts.id, account))
    .limit(1);
  if (!row?.isDemo)
    throw new AppError('unprocessable', `${what} is only for demo accounts of the simulated network.`);
}

/**
 * Funds a demo customer of the simulated network in the ledger only (external → available, like a deposit, but
 * of kind `simulated_funding`): no transfer is behind it and it is published as simulated, never as a deposit.
 * Refused for an account that is not a demo account.
 */
export async function creditSimulatedFunding(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  await requireDemoAccount(db, input.customer, 'Simulated funding');
  return transfer(
    db,
    clock,
    'simulated_funding',
    EXTERNAL_USDC,
    usdc('customer_available', input.customer),
    input,
  );
}

/** Reserves part of the available balance (a job's budget); refused with 402 when it isn't there. */
export function placeHold(db: Db, clock: Clock, input: Common & { customer: string; amountMicros: bigint }) {
  return withinOwner(db, clock, 'hold', input.customer, ['customer_available', 'customer_reserved'], input);
}

/** Charges metered work from the hold: the supplier's share to their payable, the fee to the platform. */
export function captureHold(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; supplier: string; supplierMicros: bigint; feeMicros: bigint },
) {
  if (input.supplierMicros < 0n || input.feeMicros < 0n)
    throw new AppError('unprocessable', 'Shares cannot be negative.');
  const total = input.supplierMicros + input.feeMicros;
  positive(total, 'A capture');
  return postTransaction(db, clock, {
    kind: 'capture',
    memo: input.memo,
    idempotencyKey: input.idempotencyKey,
    entries: [
      { account: usdc('customer_reserved', input.customer), amountMicros: -total },
      ...(input.supplierMicros > 0n
        ? [{ account: usdc('supplier_payable', input.supplier), amountMicros: input.supplierMicros }]
        : []),
      ...(input.feeMicros > 0n
        ? [{ account: usdc('platform_fees', null), amountMicros: input.feeMicros }]
        : []),
    ],
  });
}

/** Returns an unused part of a hold to the available balance. */
export function releaseHold(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'release',
    input.customer,
    ['customer_reserved', 'customer_available'],
    input,
  );
}

/**
 * A supplier's payable balance leaves the ledger in one step. Kept for tests and corrections; real payouts go
 * through reservePayout → settlePayout (or reversePayout), because the chain confirms them later.
 */
export function debitPayout(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  return transfer(db, clock, 'payout', usdc('supplier_payable', input.supplier), EXTERNAL_USDC, input);
}

/**
 * A demo supplier of the simulated network withdraws payable earnings, in the ledger only: the postings of
 * `debitPayout` (payable → external, so balances and the zero sum hold as for a real payout), but of kind
 * `simulated_payout` — no transfer on any chain is behind it, and it is published as a simulated payout, never
 * as a payout. Refused for an account that is not a demo account, and with 402 when payable doesn't cover it.
 */
export async function debitSimulatedPayout(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  await requireDemoAccount(db, input.supplier, 'A simulated payout');
  return transfer(
    db,
    clock,
    'simulated_payout',
    usdc('supplier_payable', input.supplier),
    EXTERNAL_USDC,
    input,
  );
}

/**
 * Sets payable aside for a payout that is about to go on-chain, so it can't be spent twice while the
 * transaction is pending; refused with 402 when the payable balance doesn't cover it.
 */
export function reservePayout(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'payout_reserve',
    input.supplier,
    ['supplier_payable', 'supplier_payout_pending'],
    input,
  );
}

/** A reserved payout was confirmed on-chain: the money has left the ledger. */
export function settlePayout(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  return transfer(db, clock, 'payout', usdc('supplier_payout_pending', input.supplier), EXTERNAL_USDC, input);
}

/** A reserved payout failed on-chain: the amount returns to the supplier's payable balance. */
export function reversePayout(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'payout_reversal',
    input.supplier,
    ['supplier_payout_pending', 'supplier_payable'],
    input,
  );
}

/**
 * Sets a customer's available balance aside for a withdrawal to their wallet; refused with 402 when the
 * available balance (never the reserved one, which holds running jobs' budgets) doesn't cover it.
 */
export function reserveWithdrawal(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'withdrawal_reserve',
    input.customer,
    ['customer_available', 'customer_withdrawal_pending'],
    input,
  );
}

/** A reserved withdrawal was confirmed on-chain: the money has left the ledger. */
export function settleWithdrawal(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  return transfer(
    db,
    clock,
    'withdrawal',
    usdc('customer_withdrawal_pending', input.customer),
    EXTERNAL_USDC,
    input,
  );
}

/** A reserved withdrawal failed on-chain: the amount returns to the customer's available balance. */
export function reverseWithdrawal(
  db: Db,
  clock: Clock,
  input: Common & { customer: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'withdrawal_reversal',
    input.customer,
    ['customer_withdrawal_pending', 'customer_available'],
    input,
  );
}

/**
 * Holds a quarantined node's unpaid earnings: payable → held. Payouts draw on payable only, so held money is
 * never paid out; releasing it (after an appeal) would be a new, explicit correction.
 */
export function holdEarnings(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  return withinOwner(
    db,
    clock,
    'earnings_hold',
    input.supplier,
    ['supplier_payable', 'supplier_held'],
    input,
  );
}

/**
 * Returns a suspect attempt's charge to its customer: `fromHeldMicros` out of the supplier's held earnings (the
 * quarantined node's), `fromPlatformMicros` out of the platform's fees (its own fee on the attempt, and what
 * held earnings could not cover), both to the customer's available balance. Refused when either source lacks
 * the money (no account but `external` may go negative).
 */
export function refundCharge(
  db: Db,
  clock: Clock,
  input: Common & {
    customer: string;
    supplier: string;
    fromHeldMicros: bigint;
    fromPlatformMicros: bigint;
  },
) {
  if (input.fromHeldMicros < 0n || input.fromPlatformMicros < 0n)
    throw new AppError('unprocessable', 'Refund sources cannot be negative.');
  const total = input.fromHeldMicros + input.fromPlatformMicros;
  positive(total, 'A refund');
  return postTransaction(db, clock, {
    kind: 'refund',
    memo: input.memo,
    idempotencyKey: input.idempotencyKey,
    entries: [
      ...(input.fromHeldMicros > 0n
        ? [{ account: usdc('supplier_held', input.supplier), amountMicros: -input.fromHeldMicros }]
        : []),
      ...(input.fromPlatformMicros > 0n
        ? [{ account: usdc('platform_fees', null), amountMicros: -input.fromPlatformMicros }]
        : []),
      { account: usdc('customer_available', input.customer), amountMicros: total },
    ],
  });
}

/** Emits incentive tokens to a supplier; a separate currency, never mixed with paid revenue. */
export function creditIncentive(
  db: Db,
  clock: Clock,
  input: Common & { supplier: string; amountMicros: bigint },
) {
  const emission: LedgerAccountRef = { kind: 'external', owner: null, currency: 'incentive' };
  const rewards: LedgerAccountRef = {
    kind: 'supplier_incentives',
    owner: input.supplier,
    currency: 'incentive',
  };
  return transfer(db, clock, 'incentive', emission, rewards, input);
}

export interface Balance {
  kind: LedgerAccountKind;
  currency: LedgerCurrency;
  balanceMicros: bigint;
}

/** The balances of one marketplace account, as maintained from its postings. */
export async function getBalances(db: Db, owner: string): Promise<Balance[]> {
  const rows = await db
    .select({
      kind: ledgerAccounts.kind,
      currency: ledgerAccounts.currency,
      balanceMicros: ledgerAccounts.balanceMicros,
    })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.ownerAccountId, owner));
  return rows;
}

export function balanceOf(
  balances: readonly Balance[],
  kind: LedgerAccountKind,
  currency: LedgerCurrency = 'usdc',
): bigint {
  return balances.find((b) => b.kind === kind && b.currency === currency)?.balanceMicros ?? 0n;
}

export interface LedgerAudit {
  /** Sum of all postings per currency: always zero. */
  totals: Record<string, bigint>;
  /** Accounts whose stored balance differs from the sum of their postings: always empty. */
  drifted: string[];
  /** Transactions whose postings don't sum to zero per currency: always empty. */
  unbalanced: string[];
}

/** Recomputes every invariant from the raw postings, for tests and for an operator's audit. */
export async function auditLedger(db: Db): Promise<LedgerAudit> {
  const [totals, drifted, unbalanced] = await Promise.all([
    queryRows<{ currency: string; total: string }>(
      db,
      sql`select currency, coalesce(sum(amount_micros), 0)::text as total from ledger_postings group by currency`,
    ),
    queryRows<{ id: string }>(
      db,
      sql`select a.id from ledger_accounts a
          left join ledger_postings p on p.ledger_account_id = a.id
          group by a.id, a.balance_micros
          having a.balance_micros <> coalesce(sum(p.amount_micros), 0)`,
    ),
    queryRows<{ transaction_id: string }>(
      db,
      sql`select transaction_id from ledger_postings group by transaction_id, currency having sum(amount_micros) <> 0`,
    ),
  ]);
  return {
    totals: Object.fromEntries(totals.map((t) => [t.currency, BigInt(t.total)])),
    drifted: drifted.map((d) => d.id),
    unbalanced: unbalanced.map((u) => u.transaction_id),
  };
}
