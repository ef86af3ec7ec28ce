import { and, eq } from 'drizzle-orm';
import { zeroAddress } from 'viem';
import { AppError } from '@/lib/api/errors';
import { payouts, type Payout, type PayoutSource } from '@/lib/db/schema';
import { normalizeAddress, type ChainDeps } from '@/lib/chain/deps';
import { balanceOf, getBalances, reservePayout, reserveWithdrawal } from '@/lib/ledger/operations';
import type { PayoutView } from '@/lib/payouts/schemas';
import { toPayoutView } from '@/lib/payouts/views';

export interface RequestPayoutInput {
  accountId: string;
  /** Where the USDC goes. */
  toAddress: string;
  /** Omitted → the whole payable balance. */
  amountMicros?: bigint;
  /** The client's key: the same key again returns the same payout instead of paying twice. */
  idempotencyKey: string;
}

/** The ledger idempotency keys of a payout's (or a withdrawal's) movements. */
export const payoutKeys = (id: string) => ({
  reserve: `payout-reserve:${id}`,
  settle: `payout:${id}`,
  reverse: `payout-reversal:${id}`,
});

async function findByKey(
  deps: Pick<ChainDeps, 'db'>,
  accountId: string,
  key: string,
): Promise<Payout | undefined> {
  const [row] = await deps.db
    .select()
    .from(payouts)
    .where(and(eq(payouts.accountId, accountId), eq(payouts.idempotencyKey, key)))
    .limit(1);
  return row;
}

/** A replayed key answers with its payout, unless the replay asks for something else. */
function replay(
  deps: Pick<ChainDeps, 'chain'>,
  row: Payout,
  input: RequestPayoutInput,
  to: string,
  source: PayoutSource,
): PayoutView {
  const sameAmount = input.amountMicros === undefined || input.amountMicros === row.amountMicros;
  if (!sameAmount || row.toAddress !== to || row.source !== source)
    throw new AppError('conflict', 'This idempotency key was already used for a different payout.');
  return toPayoutView(deps.chain, row);
}

/** What each source draws on, and how its amount is set aside (lib/ledger/operations.ts). */
const SOURCES = {
  supplier_earnings: {
    balance: 'supplier_payable',
    nothing: 'There is no payable balance to pay out.',
    reserve: (tx: Parameters<typeof reservePayout>[0], deps: Pick<ChainDeps, 'clock'>, row: Payout) =>
      reservePayout(tx, deps.clock, {
        supplier: row.accountId,
        amountMicros: row.amountMicros,
        memo: `Payout ${row.id} to ${row.toAddress}`,
        idempotencyKey: payoutKeys(row.id).reserve,
      }),
  },
  customer_balance: {
    balance: 'customer_available',
    nothing: 'There is no available balance to withdraw.',
    reserve: (tx: Parameters<typeof reserveWithdrawal>[0], deps: Pick<ChainDeps, 'clock'>, row: Payout) =>
      reserveWithdrawal(tx, deps.clock, {
        customer: row.accountId,
        amountMicros: row.amountMicros,
        memo: `Withdrawal ${row.id} to ${row.toAddress}`,
        idempotencyKey: payoutKeys(row.id).reserve,
      }),
  },
} as const;

/**
 * Records a payout request and reserves its amount (payable → payout pending) in one database transaction,
 * so there is never a payout without its reserve or a reserve without its payout. More than the payable
 * balance is refused by the ledger (402) and nothing is recorded. The transfer itself is signed and sent by
 * `processPayouts`.
 */
export function requestPayout(
  deps: Pick<ChainDeps, 'db' | 'clock' | 'chain'>,
  input: RequestPayoutInput,
): Promise<PayoutView> {
  return requestTransferOut(deps, input, 'supplier_earnings');
}

/**
 * A customer withdraws unused balance to their wallet: the same as a payout, drawn on the available balance
 * (available → withdrawal pending). What running jobs hold (the reserved balance) is never touched: more than
 * the available balance is refused with 402 and nothing is recorded. Signed, sent and confirmed by
 * `processPayouts` with every other transfer out of the treasury.
 */
export function requestWithdrawal(
  deps: Pick<ChainDeps, 'db' | 'clock' | 'chain'>,
  input: RequestPayoutInput,
): Promise<PayoutView> {
  return requestTransferOut(deps, input, 'customer_balance');
}

async function requestTransferOut(
  deps: Pick<ChainDeps, 'db' | 'clock' | 'chain'>,
  input: RequestPayoutInput,
  source: PayoutSource,
): Promise<PayoutView> {
  const { db, clock, chain } = deps;
  const what = source === 'customer_balance' ? 'Withdrawals' : 'Payouts';
  if (chain.treasuryAccount === null)
    throw new AppError('unprocessable', `${what} are not configured on this server.`);
  const toAddress = normalizeAddress(input.toAddress);
  if (toAddress === zeroAddress)
    throw new AppError('unprocessable', `${what} cannot go to the zero address.`);
  if (input.amountMicros !== undefined && input.amountMicros <= 0n)
    throw new AppError('unprocessable', 'The amount must be positive.');
  const key = input.idempotencyKey;
  if (key.length === 0 || key.length > 200)
    throw new AppError('bad_request', 'The idempotency key must be 1 to 200 characters.');

  const earlier = await findByKey(deps, input.accountId, key);
  if (earlier) return replay(deps, earlier, input, toAddress, source);

  const { balance, nothing, reserve } = SOURCES[source];
  const created = await db.transaction(async (tx) => {
    const amount = input.amountMicros ?? balanceOf(await getBalances(tx, input.accountId), balance);
    if (amount <= 0n) throw new AppError('unprocessable', nothing);
    const now = clock.now();
    const [row] = await tx
      .insert(payouts)
      .values({
        accountId: input.accountId,
        idempotencyKey: key,
        source,
        chainId: chain.chainId,
        toAddress,
        amountMicros: amount,
        state: 'requested',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    // A concurrent request with the same key got there first.
    if (!row) return null;
    await reserve(tx, deps, row);
    return row;
  });
  if (created) return toPayoutView(chain, created);
  const winner = await findByKey(deps, input.accountId, key);
  if (!winner) throw new Error('payout idempotency conflict without a payout');
  return replay(deps, winner, input, toAddress, source);
}
