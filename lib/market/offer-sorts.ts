/** Sort keys of the offer search, each backed by a (key, node_id) index. Zod-free: the browser imports it. */
export const OFFER_SORTS = ['price', 'price_per_work', 'reliability', 'vram', 'free_gpus'] as const;
export type OfferSort = (typeof OFFER_SORTS)[number];

/** Natural direction of each sort: cheapest first, most reliable / largest first. */
export const DEFAULT_ORDER: Record<OfferSort, 'asc' | 'desc'> = {
  price: 'asc',
  price_per_work: 'asc',
  reliability: 'desc',
  vram: 'desc',
  free_gpus: 'desc',
};

export const OFFER_PAGE_SIZE = 50;
