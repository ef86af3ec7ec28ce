import { pageQuerySchema } from '@/lib/api/common-schemas';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { requireChainDeps } from '@/lib/billing/chain-info';
import { requestWithdrawal } from '@/lib/payouts/request-payout';
import { requestWithdrawalSchema } from '@/lib/payouts/schemas';
import { listPayouts } from '@/lib/payouts/views';

export const GET = apiRoute({
  auth: 'required',
  query: pageQuerySchema,
  handler: async ({ ctx, principal, query }) =>
    listPayouts(requireChainDeps(ctx), principal.accountId, query, 'customer_balance'),
});

/**
 * Unused balance goes back to the account's own wallet, the one that signed in: there is no "send elsewhere",
 * so a leaked key with the `billing` scope can only return money to its owner.
 */
export const POST = apiRoute({
  auth: 'required',
  scope: 'billing',
  body: requestWithdrawalSchema,
  rateLimit: RATE_LIMITS.withdrawals,
  idempotency: 'required',
  status: 201,
  handler: async ({ ctx, principal, body, request }) =>
    requestWithdrawal(requireChainDeps(ctx), {
      accountId: principal.accountId,
      toAddress: principal.address,
      idempotencyKey: request.headers.get('idempotency-key') ?? '',
      ...(body.amountMicros ? { amountMicros: BigInt(body.amountMicros) } : {}),
    }),
});
