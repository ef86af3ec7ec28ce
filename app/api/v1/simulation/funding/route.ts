import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { balanceOf, creditSimulatedFunding, getBalances } from '@/lib/ledger/operations';
import { DEMO_FUNDING_MEMO } from '@/lib/simulation/control';
import { simulatedFundingRequestSchema } from '@/lib/simulation/schemas';

/**
 * Demo network only: a demo customer of the simulated network (the simulated demand's accounts) tops its own
 * balance up with simulated funding — its own ledger source, never taken for an on-chain deposit, and refused
 * for every account a person signed in with. Described in /api/v1/simulation/openapi.json.
 */
export const POST = apiRoute({
  auth: 'required',
  scope: 'billing',
  idempotency: 'required',
  body: simulatedFundingRequestSchema,
  handler: async ({ ctx, principal, body }) => {
    if (!ctx.simulated) throw new AppError('not_found', 'There is no simulated network here to fund.');
    const amountMicros = BigInt(body.amountMicros);
    await creditSimulatedFunding(ctx.db, ctx.clock, {
      customer: principal.accountId,
      amountMicros,
      memo: DEMO_FUNDING_MEMO,
      // The request's Idempotency-Key makes the request run once; each run is its own funding.
      idempotencyKey: `demo-funding:${principal.accountId}:api-${randomUUID()}`,
    });
    const available = balanceOf(await getBalances(ctx.db, principal.accountId), 'customer_available');
    return { amountMicros: amountMicros.toString(), availableMicros: available.toString() };
  },
});
