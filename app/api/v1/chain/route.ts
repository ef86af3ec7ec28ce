import { apiRoute } from '@/lib/api/route';
import { chainInfo } from '@/lib/billing/chain-info';
import { serverEnv } from '@/lib/env';

export const GET = apiRoute({
  handler: async ({ ctx }) => chainInfo(ctx, serverEnv().WALLETCONNECT_PROJECT_ID ?? null),
});
