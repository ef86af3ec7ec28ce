import { z } from 'zod';
import {
  addressSchema,
  isoDateSchema,
  microsSchema,
  pageSchema,
  positiveMicrosSchema,
  txHashSchema,
} from '@/lib/api/common-schemas';
import { PAYOUT_SOURCES, PAYOUT_STATES } from '@/lib/enums';

export const requestPayoutSchema = z
  .strictObject({
    amountMicros: positiveMicrosSchema
      .optional()
      .meta({ description: 'How much to withdraw; omitted → the whole payable balance.' }),
  })
  .meta({ id: 'RequestPayout' });

export const requestWithdrawalSchema = z
  .strictObject({
    amountMicros: positiveMicrosSchema
      .optional()
      .meta({ description: 'How much to withdraw; omitted → the whole available balance.' }),
  })
  .meta({ id: 'RequestWithdrawal' });

export const payoutSchema = z
  .object({
    id: z.uuid(),
    source: z.enum(PAYOUT_SOURCES).meta({
      id: 'PayoutSource',
      description:
        "supplier_earnings: a supplier's payable earnings (a payout); customer_balance: a customer's unused available balance (a withdrawal).",
    }),
    chainId: z.number().int(),
    toAddress: addressSchema,
    amountMicros: microsSchema,
    state: z.enum(PAYOUT_STATES).meta({
      id: 'PayoutState',
      description:
        'requested → signed → sent → confirmed, or failed (the amount returns to the balance it came from).',
    }),
    txHash: z.union([txHashSchema, z.null()]),
    explorerUrl: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: isoDateSchema,
    confirmedAt: isoDateSchema.nullable(),
  })
  .meta({ id: 'Payout' });

export const payoutPageSchema = pageSchema(payoutSchema, 'PayoutPage');

export type PayoutView = z.infer<typeof payoutSchema>;
