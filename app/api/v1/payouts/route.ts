import { pageQuerySchema } from '@/lib/api/common-schemas';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { requireChainDeps } from '@/lib/billing/chain-info';
import { requestPayout } from '@/lib/payouts/request-payout';
import { requestPayoutSchema } from '@/lib/payouts/schemas';
import { listPayouts } from '@/lib/payouts/views';

export const GET = apiRoute({
  auth: 'required',
  query: pageQuerySchema,
  handler: async ({ ctx, principal, query }) =>
    listPayouts(requireChainDeps(ctx), principal.accountId, query),
});

/** Payouts go to the account's own wallet, the one that signed in; there is no "send elsewhere". */
export const POST = apiRoute({
  auth: 'required',
  scope: 'billing',
  body: requestPayoutSchema,
  rateLimit: RATE_LIMITS.payouts,
  idempotency: 'required',
  status: 201,
  handler: async ({ ctx, principal, body, request }) =>
    requestPayout(requireChainDeps(ctx), {
      accountId: principal.accountId,
      toAddress: principal.address,
      idempotencyKey: request.headers.get('idempotency-key') ?? '',
      ...(body.amountMicros ? { amountMicros: BigInt(body.amountMicros) } : {}),
    }),
});
