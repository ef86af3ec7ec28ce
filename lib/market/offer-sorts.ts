/** Sort keys of the offer search, each backed by a (key, node_id) index. Zod-free: the browser imports it. */
export const OFFER_SORTS = [
  'price',
  'price_per_work',
  'reliability',
  'vram',
  'free_gpus',
  'bandwidth',
  'cpu_cores',
  'ram',
  'disk',
  'cuda',
] as const;
export type OfferSort = (typeof OFFER_SORTS)[number];

/** Natural direction of each sort: cheapest first, most reliable / largest / newest first. */
export const DEFAULT_ORDER: Record<OfferSort, 'asc' | 'desc'> = {
  price: 'asc',
  price_per_work: 'asc',
  reliability: 'desc',
  vram: 'desc',
  free_gpus: 'desc',
  bandwidth: 'desc',
  cpu_cores: 'desc',
  ram: 'desc',
  disk: 'desc',
  cuda: 'desc',
};

export const OFFER_PAGE_SIZE = 50;
