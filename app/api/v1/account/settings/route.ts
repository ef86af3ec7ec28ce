import { apiRoute } from '@/lib/api/route';
import { setLowBalanceThreshold } from '@/lib/billing/balance';
import { accountSettingsSchema } from '@/lib/billing/schemas';

export const PATCH = apiRoute({
  auth: 'required',
  scope: 'billing',
  body: accountSettingsSchema,
  handler: async ({ ctx, principal, body }) =>
    setLowBalanceThreshold(
      ctx.db,
      principal.accountId,
      body.lowBalanceThresholdMicros === null ? null : BigInt(body.lowBalanceThresholdMicros),
    ),
});
