import { z } from 'zod';
import { addressSchema, isoDateSchema, microsSchema, pageSchema } from '@/lib/api/common-schemas';
import { LEDGER_ACCOUNT_KINDS, LEDGER_TRANSACTION_KINDS } from '@/lib/enums';

export const balanceSchema = z
  .object({
    availableMicros: microsSchema.meta({ description: 'Spendable now.' }),
    reservedMicros: microsSchema.meta({ description: 'Held for running or queued jobs.' }),
    payableMicros: microsSchema.meta({ description: 'Supplier earnings not yet paid out.' }),
    payoutPendingMicros: microsSchema.meta({ description: 'Earnings on their way on-chain.' }),
    withdrawalPendingMicros: microsSchema.meta({
      description: 'Unused balance withdrawn and on its way on-chain to your wallet.',
    }),
    runway: z
      .object({
        state: z.enum(['no_running_jobs', 'estimated']),
        burnMicrosPerHour: microsSchema.nullable(),
        hours: z.number().nullable(),
      })
      .meta({ description: 'How long the available balance lasts at the current spend rate.' }),
    lowBalanceThresholdMicros: microsSchema.nullable(),
    lowBalance: z.boolean().meta({ description: 'Available is below the threshold.' }),
  })
  .meta({ id: 'Balance' });

export const accountSettingsSchema = z
  .strictObject({
    lowBalanceThresholdMicros: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a non-negative integer amount of micro-USDC')
      .nullable()
      .meta({ description: 'Warn below this available balance; null turns the warning off.' }),
  })
  .meta({ id: 'AccountSettings' });

const ledgerTransactionKindSchema = z.enum(LEDGER_TRANSACTION_KINDS).meta({ id: 'LedgerTransactionKind' });
const ledgerAccountKindSchema = z.enum(LEDGER_ACCOUNT_KINDS).meta({ id: 'LedgerAccountKind' });

export const ledgerEntrySchema = z
  .object({
    id: z.string().meta({ description: 'Posting id (increasing).' }),
    transactionId: z.uuid(),
    kind: ledgerTransactionKindSchema,
    account: ledgerAccountKindSchema,
    currency: z.enum(['usdc', 'incentive']),
    amountMicros: microsSchema.meta({ description: 'Positive: into this account; negative: out of it.' }),
    memo: z.string(),
    createdAt: isoDateSchema,
  })
  .meta({ id: 'LedgerEntry' });

export const ledgerPageSchema = pageSchema(ledgerEntrySchema, 'LedgerPage');

export const chainInfoSchema = z
  .object({
    chainId: z.number().int(),
    name: z.string(),
    rpcUrl: z.string().meta({
      description: 'The same-origin JSON-RPC endpoint the dashboard uses (a proxy to the configured node).',
    }),
    usdcAddress: addressSchema,
    treasuryAddress: addressSchema,
    confirmations: z.number().int(),
    isLocal: z.boolean().meta({ description: 'The embedded test chain: test USDC, no real value.' }),
    explorerUrl: z.string().nullable(),
    walletConnectProjectId: z.string().nullable(),
    localTestWallets: z.array(z.object({ address: addressSchema, label: z.string() })).meta({
      description: 'LOCAL CHAIN ONLY: unlocked development accounts usable without a wallet extension.',
    }),
  })
  .meta({ id: 'ChainInfo' });

export type BalanceView = z.infer<typeof balanceSchema>;
export type LedgerEntryView = z.infer<typeof ledgerEntrySchema>;
export type ChainInfo = z.infer<typeof chainInfoSchema>;

/** A calendar month, UTC: `2026-11`. */
export const statementMonthSchema = z
  .string()
  .regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-11')
  .meta({ description: 'A calendar month (UTC).', example: '2026-11' });

export const statementParamsSchema = z.strictObject({ month: statementMonthSchema });
export const statementQuerySchema = z.strictObject({
  format: z.enum(['json', 'csv']).optional().meta({
    description: '`csv`: every posting of the month with the balance after it (or send `Accept: text/csv`).',
  }),
});

export const statementAccountSchema = z
  .object({
    account: ledgerAccountKindSchema,
    currency: z.enum(['usdc', 'incentive']),
    openingMicros: microsSchema.meta({ description: 'Balance at the start of the month.' }),
    movements: z
      .array(
        z.object({
          kind: ledgerTransactionKindSchema,
          count: z.number().int(),
          amountMicros: microsSchema.meta({ description: 'Their sum: positive into the account.' }),
        }),
      )
      .meta({ description: 'What moved the balance during the month, by kind of transaction.' }),
    closingMicros: microsSchema.meta({ description: 'Balance at the end: opening plus the movements.' }),
  })
  .meta({ id: 'StatementAccount' });

export const statementSchema = z
  .object({
    month: statementMonthSchema,
    from: isoDateSchema,
    to: isoDateSchema.meta({ description: 'Exclusive: the first instant of the next month.' }),
    walletAddress: addressSchema,
    accounts: z
      .array(statementAccountSchema)
      .meta({ description: 'Each of your ledger accounts with a balance or a movement in the month.' }),
    generatedAt: isoDateSchema,
  })
  .meta({ id: 'Statement' });
export type StatementView = z.infer<typeof statementSchema>;
