import { z } from 'zod';
import { addressSchema, isoDateSchema, microsSchema, pageSchema } from '@/lib/api/common-schemas';
import { ledgerAccountKind, ledgerTransactionKind } from '@/lib/db/schema/ledger';

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

export const ledgerEntrySchema = z
  .object({
    id: z.string().meta({ description: 'Posting id (increasing).' }),
    transactionId: z.uuid(),
    kind: z.enum(ledgerTransactionKind.enumValues).meta({ id: 'LedgerTransactionKind' }),
    account: z.enum(ledgerAccountKind.enumValues).meta({ id: 'LedgerAccountKind' }),
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
