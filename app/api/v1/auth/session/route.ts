import { apiRoute } from '@/lib/api/route';
import { getAccountView } from '@/lib/auth/accounts';
import type { SessionResponse } from '@/lib/auth/schemas';

export const GET = apiRoute({
  auth: 'optional',
  handler: async ({ ctx, principal }): Promise<SessionResponse> =>
    principal
      ? {
          account: await getAccountView(ctx.db, principal.accountId),
          expiresAt: principal.expiresAt?.toISOString() ?? null,
        }
      : { account: null, expiresAt: null },
});
