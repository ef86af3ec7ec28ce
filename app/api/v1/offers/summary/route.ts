import { apiRoute } from '@/lib/api/route';
import { summarizeOffers } from '@/lib/market/offer-summary';

export const GET = apiRoute({
  cacheControl: 'public, max-age=10',
  handler: async ({ ctx }) => summarizeOffers(ctx.db, ctx.clock, ctx.simulated),
});
