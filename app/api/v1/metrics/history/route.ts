import { apiRoute } from '@/lib/api/route';
import { getHistoryStatus } from '@/lib/metrics/history-status';

/** The simulated network's generated history: how far it has got. Public, never cached (it moves by the second). */
export const GET = apiRoute({
  cacheControl: 'no-store',
  handler: async ({ ctx }) => ({ history: await getHistoryStatus(ctx.db) }),
});
