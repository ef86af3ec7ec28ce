import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';
import { DEFAULT_ORDER, OFFER_SORTS, type OfferSort } from '@/lib/market/offer-sorts';
import { REGION_IDS } from '@/lib/market/regions';
import { VERIFIED_WITHIN, type VerifiedWithin } from '@/lib/market/verification-recency';

/**
 * The market's view state as it lives in the URL. Kept free of zod so the browser bundle stays small: it
 * only normalises (drops unknown values, orders lists) and the API validates. The server page and the
 * client read the URL through this same function, so their query keys match and hydration reuses data.
 */
export interface OfferFilters {
  gpu: string[];
  region: string[];
  minGpus?: string;
  minVram?: string;
  maxPrice?: string;
  minReliability?: string;
  verified?: 'true' | 'false';
  verifiedWithin?: VerifiedWithin;
  interconnect?: 'nvlink' | 'pcie';
  minBandwidth?: string;
  minCpuCores?: string;
  minRam?: string;
  minDisk?: string;
  minCuda?: string;
  sort: OfferSort;
  order?: 'asc' | 'desc';
  cursor?: string;
}

const SCALARS = [
  'minGpus',
  'minVram',
  'maxPrice',
  'minReliability',
  'minBandwidth',
  'minCpuCores',
  'minRam',
  'minDisk',
  'minCuda',
  'cursor',
] as const;

function list(params: URLSearchParams, key: string, allowed: readonly string[]): string[] {
  const values = new Set(params.getAll(key).flatMap((v) => v.split(',')));
  return allowed.filter((id) => values.has(id));
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

export function readOfferFilters(params: URLSearchParams): OfferFilters {
  const filters: OfferFilters = {
    gpu: list(params, 'gpu', GPU_MODEL_IDS),
    region: list(params, 'region', REGION_IDS),
    sort: oneOf(params.get('sort'), OFFER_SORTS) ?? 'price',
  };
  for (const key of SCALARS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  const verified = oneOf(params.get('verified'), ['true', 'false'] as const);
  if (verified) filters.verified = verified;
  const verifiedWithin = oneOf(params.get('verifiedWithin'), VERIFIED_WITHIN);
  if (verifiedWithin) filters.verifiedWithin = verifiedWithin;
  const interconnect = oneOf(params.get('interconnect'), ['nvlink', 'pcie'] as const);
  if (interconnect) filters.interconnect = interconnect;
  const order = oneOf(params.get('order'), ['asc', 'desc'] as const);
  if (order && order !== DEFAULT_ORDER[filters.sort]) filters.order = order;
  return filters;
}

/** Canonical query string: fixed key order, defaults omitted, lists comma-separated. */
export function offerFiltersToSearchParams(filters: OfferFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.gpu.length) params.set('gpu', filters.gpu.join(','));
  if (filters.region.length) params.set('region', filters.region.join(','));
  for (const key of ['minGpus', 'minVram', 'maxPrice', 'minReliability'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.verified) params.set('verified', filters.verified);
  if (filters.verifiedWithin) params.set('verifiedWithin', filters.verifiedWithin);
  if (filters.interconnect) params.set('interconnect', filters.interconnect);
  for (const key of ['minBandwidth', 'minCpuCores', 'minRam', 'minDisk', 'minCuda'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.sort !== 'price') params.set('sort', filters.sort);
  if (filters.order) params.set('order', filters.order);
  if (filters.cursor) params.set('cursor', filters.cursor);
  return params;
}

/** Whether any filter (not sort or page) is set, for the "clear filters" affordance. */
export function hasActiveFilters(filters: OfferFilters): boolean {
  return (
    filters.gpu.length > 0 ||
    filters.region.length > 0 ||
    SCALARS.some((key) => key !== 'cursor' && filters[key] !== undefined) ||
    filters.verified !== undefined ||
    filters.verifiedWithin !== undefined ||
    filters.interconnect !== undefined
  );
}
