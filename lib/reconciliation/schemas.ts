import { z } from 'zod';

const micros = z
  .string()
  .regex(/^-?\d+$/)
  .meta({ description: 'USDC in micro-units (6 decimals), as a string.' });
const total = z
  .object({ count: z.number().int().nonnegative(), totalMicros: micros })
  .meta({ id: 'ReconciliationTotal' });

export const RECONCILIATION_DIFFERENCE_KINDS = [
  /** A ledger deposit credit with no matching USDC transfer into the treasury. */
  'unbacked_credit',
  /** A ledger entry matched to a transfer of another amount. */
  'amount_mismatch',
  /** A USDC transfer into the treasury that never reached the ledger. */
  'transfer_not_in_ledger',
  /** A settled payout in the ledger with no USDC transfer out of the treasury. */
  'payout_without_transfer',
  /** A USDC transfer out of the treasury that is no settled payout. */
  'transfer_out_without_payout',
  /** The treasury's balance is not its opening balance plus the transfers in less the transfers out. */
  'balance_mismatch',
] as const;

export type ReconciliationDifferenceKind = (typeof RECONCILIATION_DIFFERENCE_KINDS)[number];

/**
 * failure: unexplained, the reconciliation fails. pending: on its way (a deposit within its confirmations, a
 * payout being confirmed, a transfer from a wallet no account owns yet). explained: a transfer that is nobody's
 * deposit or payout (a mint to the treasury, the platform's own money, the treasury paying itself).
 */
export type ReconciliationSeverity = 'failure' | 'pending' | 'explained';

export const reconciliationDifferenceSchema = z
  .object({
    kind: z.enum(RECONCILIATION_DIFFERENCE_KINDS),
    severity: z.enum(['failure', 'pending', 'explained']),
    direction: z.enum(['in', 'out']).nullable(),
    txHash: z.string().nullable(),
    logIndex: z.number().int().nullable(),
    blockNumber: z.string().nullable(),
    ledgerTransactionId: z.string().nullable(),
    ledgerMicros: micros
      .nullable()
      .meta({ description: 'The amount in the ledger, when there is an entry.' }),
    chainMicros: micros
      .nullable()
      .meta({ description: 'The amount on the chain, when there is a transfer.' }),
    counterparty: z
      .string()
      .nullable()
      .meta({ description: 'The sender of a transfer in, or the recipient of a transfer out.' }),
    record: z.string().nullable().meta({
      description: 'The deposit or payout record behind it, with its state (and rejection reason), if any.',
    }),
    detail: z.string(),
  })
  .meta({ id: 'ReconciliationDifference' });

export type ReconciliationDifference = z.infer<typeof reconciliationDifferenceSchema>;

export const reconciliationSchema = z
  .object({
    status: z.enum(['ok', 'failed', 'unavailable']).meta({
      description:
        '`failed` when any unexplained difference exists; `unavailable` when no chain is configured or it ' +
        'could not be read (see `message`).',
    }),
    message: z.string(),
    checkedAt: z.iso.datetime(),
    chain: z
      .object({
        chainId: z.number().int(),
        name: z.string(),
        usdcAddress: z.string(),
        treasuryAddress: z.string(),
        fromBlock: z.string(),
        toBlock: z.string(),
        openingBalanceMicros: micros.meta({
          description: 'The treasury’s USDC balance just before `fromBlock` (0 from block 0).',
        }),
        balanceMicros: micros.meta({
          description: 'The treasury’s USDC balance (`balanceOf`) at `toBlock`.',
        }),
        transfersIn: total,
        transfersOut: total,
        expectedBalanceMicros: micros.meta({
          description: 'Opening balance + transfers in − transfers out.',
        }),
        balanceMatches: z.boolean(),
        netMicros: micros.meta({
          description:
            'Transfers in less transfers out, leaving out the explained and pending ones: what the ledger’s ' +
            'deposits less payouts must equal.',
        }),
      })
      .nullable(),
    ledger: z
      .object({
        deposits: total.meta({ description: 'Deposit credits (kind `deposit`) in the scanned range.' }),
        simulatedFunding: total.meta({
          description:
            'Ledger-only funding of the simulated demo network (kind `simulated_funding`): no transfer is ' +
            'behind it, never matched to the chain.',
        }),
        payouts: total.meta({ description: 'Settled payouts of supplier earnings (kind `payout`).' }),
        withdrawals: total.meta({
          description:
            'Settled withdrawals of customers’ unused balance to their wallets (kind `withdrawal`).',
        }),
        simulatedPayouts: total.meta({
          description:
            'Ledger-only withdrawals of the simulated demo network’s suppliers (kind `simulated_payout`): no ' +
            'transfer is behind them, never matched to the chain.',
        }),
        netMicros: micros.meta({ description: 'Deposits less payouts and withdrawals.' }),
      })
      .nullable(),
    ledgerMatchesChain: z.boolean().nullable(),
    counts: z.object({
      failures: z.number().int(),
      pending: z.number().int(),
      explained: z.number().int(),
    }),
    differences: z.array(reconciliationDifferenceSchema).meta({
      description: 'Every failure and pending item, one by one (up to `limit`; `omitted` counts the rest).',
    }),
    explained: z.array(reconciliationDifferenceSchema).meta({
      description: 'Transfers that are nobody’s deposit or payout, with why (up to `limit`).',
    }),
    limit: z.number().int(),
    omitted: z.number().int(),
  })
  .meta({ id: 'ChainReconciliation' });

export type Reconciliation = z.infer<typeof reconciliationSchema>;
