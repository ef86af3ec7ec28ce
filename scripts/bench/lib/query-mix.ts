import { searchParamsToObject } from '@/lib/api/search-params';
import { offerSearchQuerySchema, type OfferSearchQuery } from '@/lib/market/offer-schemas';

export const OFFERS_PATH = '/api/v1/offers';

export interface MixQuery {
  id: string;
  label: string;
  /** Path and query string, as a client sends it. */
  path: string;
  /** The same query after the API's own parsing, for calling `searchOffers` directly. */
  query: OfferSearchQuery;
}

function mixQuery(id: string, label: string, params: Record<string, string>): MixQuery {
  const search = new URLSearchParams(params);
  const qs = search.toString();
  return {
    id,
    label,
    path: qs ? `${OFFERS_PATH}?${qs}` : OFFERS_PATH,
    query: offerSearchQuerySchema.parse(searchParamsToObject(search, offerSearchQuerySchema)),
  };
}

/**
 * What buyers do on the market page: every sort key on its own, the filters the UI offers alone and
 * combined, and one deep page reached by cursor. Each load-test connection cycles through the list.
 */
export function buildQueryMix(deepCursor: string): MixQuery[] {
  return [
    mixQuery('price', 'price ↑ (page 1)', {}),
    mixQuery('price-per-work', 'price per work ↑', { sort: 'price_per_work' }),
    mixQuery('reliability', 'reliability ↓', { sort: 'reliability' }),
    mixQuery('vram', 'VRAM ↓', { sort: 'vram' }),
    mixQuery('free-gpus', 'free GPUs ↓', { sort: 'free_gpus' }),
    mixQuery('gpu-one', 'gpu=h100 · price ↑', { gpu: 'h100-80gb' }),
    // The top-tier models sort last by price, so a price-ordered index walk passes most cheaper offers
    // before it finds a page of them: the mix's hardest query, kept in because it is what buyers ask.
    mixQuery('gpu-several', 'gpu=h100,h200 · price ↑', { gpu: 'h100-80gb,h200-141gb' }),
    mixQuery('region', 'region=eu-west,eu-central · price ↑', { region: 'eu-west,eu-central' }),
    mixQuery('price-reliability', 'maxPrice=2.5 & minReliability=99 · price ↑', {
      maxPrice: '2.5',
      minReliability: '99',
    }),
    mixQuery('verified-nvlink', 'verified & nvlink · price/work ↑', {
      verified: 'true',
      interconnect: 'nvlink',
      sort: 'price_per_work',
    }),
    mixQuery('min-gpus', 'minGpus=8 · reliability ↓', { minGpus: '8', sort: 'reliability' }),
    mixQuery('deep-page', 'price ↑ (page 1,000 by cursor)', { cursor: deepCursor }),
  ];
}
