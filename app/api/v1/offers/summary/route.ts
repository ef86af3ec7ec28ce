import { apiRoute } from '@/lib/api/route';
import { appContext } from '@/lib/app-context';
import { summarizeOffers } from '@/lib/market/offer-summary';

export const GET = apiRoute({
  cacheControl: 'public, max-age=10',
  handler: async () => {
    const { db, clock, simulated } = await appContext();
    return summarizeOffers(db, clock, simulated);
  },
});
