import type { OfferSort } from '@/lib/market/offer-sorts';
import type { OfferFilters } from '@/lib/market/offer-url';

/**
 * The market table's columns: which a renter can hide, which sort key each maps to, and the filter that makes
 * it worth showing. Zod-free (the market's bundle stays small). The choice is a view preference, kept in a
 * cookie so the server renders the chosen columns in the first paint (no shift after hydration) and a return
 * visit keeps them; it is not part of a shared link.
 */
export const OFFER_COLUMNS = [
  { id: 'gpu', label: 'GPU' },
  { id: 'free', label: 'Free', sort: 'free_gpus' },
  { id: 'vram', label: 'VRAM', sort: 'vram' },
  { id: 'price', label: '$/GPU-hr', sort: 'price' },
  { id: 'price-per-work', label: '$/work unit', sort: 'price_per_work' },
  { id: 'reliability', label: 'Reliability', sort: 'reliability' },
  { id: 'job-success', label: 'Job success' },
  { id: 'verified', label: 'Verified' },
  { id: 'region', label: 'Region' },
  { id: 'link', label: 'Link', filter: 'interconnect' },
  { id: 'network', label: 'Network', sort: 'bandwidth', filter: 'minBandwidth' },
  { id: 'cpu', label: 'CPU', sort: 'cpu_cores', filter: 'minCpuCores' },
  { id: 'ram', label: 'RAM', sort: 'ram', filter: 'minRam' },
  { id: 'disk', label: 'Disk', sort: 'disk', filter: 'minDisk' },
  { id: 'cuda', label: 'CUDA', sort: 'cuda', filter: 'minCuda' },
] as const satisfies readonly {
  id: string;
  label: string;
  sort?: OfferSort;
  filter?: keyof OfferFilters;
}[];

export type OfferColumnId = (typeof OFFER_COLUMNS)[number]['id'];

/** Always shown: what is offered and what it costs. */
export const FIXED_OFFER_COLUMNS: readonly OfferColumnId[] = ['gpu', 'price'];

/** Shown until the renter chooses: the table fits a 1280 px screen beside the filters. */
export const DEFAULT_OFFER_COLUMNS: readonly OfferColumnId[] = [
  'gpu',
  'free',
  'vram',
  'price',
  'price-per-work',
  'reliability',
  'job-success',
  'verified',
  'region',
];

export const OFFER_COLUMNS_COOKIE = 'bf_offer_columns';

/** The chosen columns from the cookie's value: known ids in table order; the defaults when unset or empty. */
export function readOfferColumns(value: string | undefined): OfferColumnId[] {
  const chosen = new Set(value?.split(',') ?? []);
  const known = OFFER_COLUMNS.filter((c) => chosen.has(c.id)).map((c) => c.id);
  if (!known.length) return [...DEFAULT_OFFER_COLUMNS];
  return OFFER_COLUMNS.filter((c) => known.includes(c.id) || FIXED_OFFER_COLUMNS.includes(c.id)).map(
    (c) => c.id,
  );
}

/** The chosen columns from a `Cookie` header or `document.cookie` (`name=value; name=value`). */
export function readOfferColumnsCookie(cookies: string): OfferColumnId[] {
  const prefix = `${OFFER_COLUMNS_COOKIE}=`;
  const entry = cookies
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(prefix));
  return readOfferColumns(entry?.slice(prefix.length));
}

/** A year-long, site-wide cookie holding the choice (read by the server page on the next visit). */
export function offerColumnsCookie(columns: readonly OfferColumnId[]): string {
  return `${OFFER_COLUMNS_COOKIE}=${columns.join(',')}; path=/; max-age=31536000; samesite=lax`;
}

/**
 * The columns the table shows: the chosen ones, plus the column the view is sorted by and those of active
 * filters, so a renter who asks for 256 GB of RAM sees each offer's RAM.
 */
export function visibleOfferColumns(
  chosen: readonly OfferColumnId[],
  filters: Pick<OfferFilters, 'sort'> & Partial<OfferFilters>,
): Set<OfferColumnId> {
  const visible = new Set<OfferColumnId>(chosen);
  for (const column of OFFER_COLUMNS) {
    if ('sort' in column && column.sort === filters.sort) visible.add(column.id);
    if ('filter' in column && filters[column.filter] !== undefined) visible.add(column.id);
  }
  return visible;
}
