import { apiRoute } from '@/lib/api/route';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';
import { searchOffers } from '@/lib/market/search-offers';

export const GET = apiRoute({
  query: offerSearchQuerySchema,
  handler: async ({ query, ctx }) => searchOffers(ctx.db, query, ctx.clock),
});
