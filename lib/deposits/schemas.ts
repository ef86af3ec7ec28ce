import { z } from 'zod';
import {
  addressSchema,
  isoDateSchema,
  microsSchema,
  pageSchema,
  positiveMicrosSchema,
  txHashSchema,
} from '@/lib/api/common-schemas';
import { DEPOSIT_REJECTIONS, DEPOSIT_STATES } from '@/lib/enums';

export const submitDepositRequestSchema = z
  .strictObject({
    chainId: z
      .number()
      .int()
      .positive()
      .max(2_147_483_647)
      .meta({ description: 'The chain the transfer was sent on.' }),
    txHash: txHashSchema,
    expectedAmountMicros: positiveMicrosSchema.optional().meta({
      description:
        'What the wallet meant to send. Optional; the credited amount is always read from the Transfer log, ' +
        'and a submission whose expected amount differs from the log is rejected (`amount_mismatch`).',
    }),
  })
  .meta({ id: 'SubmitDepositRequest' });

export const depositSchema = z
  .object({
    id: z.uuid(),
    chainId: z.number().int(),
    txHash: txHashSchema,
    logIndex: z.number().int().nullable(),
    source: z
      .enum(['dashboard', 'indexer'])
      .meta({ description: 'Submitted in the dashboard, or found by the indexer.' }),
    fromAddress: z.union([addressSchema, z.null()]),
    amountMicros: microsSchema
      .nullable()
      .meta({ description: 'Read from the Transfer log; null when rejected early.' }),
    state: z.enum(DEPOSIT_STATES).meta({
      id: 'DepositState',
      description:
        'seen → confirmed → credited; or rejected (see `rejection`); unattributed = from an unknown wallet.',
    }),
    rejection: z
      .enum(DEPOSIT_REJECTIONS)
      .nullable()
      .meta({
        id: 'DepositRejection',
        description:
          'Why a rejected deposit was not credited. `platform_sender`: sent from an address the platform controls ' +
          '(the treasury itself, the payout signer, …): the platform’s own money, never credited to anyone.',
      }),
    rejectionMessage: z
      .string()
      .nullable()
      .meta({ description: 'The rejection in words, for people; null unless rejected.' }),
    confirmations: z
      .number()
      .int()
      .meta({ description: 'Blocks on top of (and including) the transfer block.' }),
    confirmationsRequired: z.number().int(),
    blockNumber: z.string().nullable(),
    explorerUrl: z
      .string()
      .nullable()
      .meta({ description: "The transaction on the chain's explorer; null on the local chain." }),
    createdAt: isoDateSchema,
    creditedAt: isoDateSchema.nullable(),
  })
  .meta({ id: 'Deposit' });

export const depositPageSchema = pageSchema(depositSchema, 'DepositPage');

export type SubmitDepositRequest = z.infer<typeof submitDepositRequestSchema>;
export type DepositView = z.infer<typeof depositSchema>;
