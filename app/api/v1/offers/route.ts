import { apiRoute } from '@/lib/api/route';
import { appContext } from '@/lib/app-context';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';
import { searchOffers } from '@/lib/market/search-offers';

export const GET = apiRoute({
  query: offerSearchQuerySchema,
  handler: async ({ query }) => searchOffers((await appContext()).db, query),
});
