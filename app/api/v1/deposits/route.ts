import { pageQuerySchema } from '@/lib/api/common-schemas';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { requireChainDeps } from '@/lib/billing/chain-info';
import { submitDepositRequestSchema } from '@/lib/deposits/schemas';
import { submitDeposit } from '@/lib/deposits/submit-deposit';
import { listDeposits } from '@/lib/deposits/views';

export const GET = apiRoute({
  auth: 'required',
  query: pageQuerySchema,
  handler: async ({ ctx, principal, query }) =>
    listDeposits(requireChainDeps(ctx), principal.accountId, query),
});

export const POST = apiRoute({
  auth: 'required',
  scope: 'billing',
  body: submitDepositRequestSchema,
  rateLimit: RATE_LIMITS.deposits,
  handler: async ({ ctx, principal, body }) =>
    submitDeposit(requireChainDeps(ctx), {
      accountId: principal.accountId,
      walletAddress: principal.address,
      chainId: body.chainId,
      txHash: body.txHash,
      ...(body.expectedAmountMicros ? { expectedAmountMicros: BigInt(body.expectedAmountMicros) } : {}),
    }),
});
