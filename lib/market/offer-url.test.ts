import { describe, expect, it } from 'vitest';
import { searchParamsToObject } from '@/lib/api/search-params';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';
import { hasActiveFilters, offerFiltersToSearchParams, readOfferFilters } from '@/lib/market/offer-url';

describe('offer filters in the URL', () => {
  it('round-trips to one canonical query string', () => {
    const url =
      'region=us-west,eu-central&gpu=rtx-4090-24gb&gpu=h100-80gb&maxPrice=2.5&sort=reliability&verified=true';
    const filters = readOfferFilters(new URLSearchParams(url));
    expect(filters).toMatchObject({
      gpu: ['h100-80gb', 'rtx-4090-24gb'],
      region: ['us-west', 'eu-central'],
      maxPrice: '2.5',
      sort: 'reliability',
      verified: 'true',
    });
    const canonical = offerFiltersToSearchParams(filters).toString();
    expect(canonical).toBe(
      'gpu=h100-80gb%2Crtx-4090-24gb&region=us-west%2Ceu-central&maxPrice=2.5&verified=true&sort=reliability',
    );
    expect(offerFiltersToSearchParams(readOfferFilters(new URLSearchParams(canonical))).toString()).toBe(
      canonical,
    );
  });

  it('drops unknown list values and omits the default sort and direction', () => {
    const filters = readOfferFilters(new URLSearchParams('gpu=h100-80gb,quantum-9000&sort=price&order=asc'));
    expect(filters.gpu).toEqual(['h100-80gb']);
    expect(filters.order).toBeUndefined();
    expect(offerFiltersToSearchParams(filters).toString()).toBe('gpu=h100-80gb');
  });

  it('carries the verification recency window, after the verified flag', () => {
    const filters = readOfferFilters(new URLSearchParams('verifiedWithin=24h&gpu=h100-80gb&verified=true'));
    expect(filters.verifiedWithin).toBe('24h');
    expect(offerFiltersToSearchParams(filters).toString()).toBe(
      'gpu=h100-80gb&verified=true&verifiedWithin=24h',
    );
    expect(hasActiveFilters(readOfferFilters(new URLSearchParams('verifiedWithin=7d')))).toBe(true);
    // Only the windows the API offers survive.
    expect(readOfferFilters(new URLSearchParams('verifiedWithin=1h')).verifiedWithin).toBeUndefined();
  });

  it('keeps malformed scalars so the API can name them in its 400', () => {
    expect(readOfferFilters(new URLSearchParams('maxPrice=cheap')).maxPrice).toBe('cheap');
  });

  it('tells whether any filter is active', () => {
    expect(hasActiveFilters(readOfferFilters(new URLSearchParams('sort=vram&cursor=abc')))).toBe(false);
    expect(hasActiveFilters(readOfferFilters(new URLSearchParams('minGpus=2')))).toBe(true);
  });

  it('speaks the API query contract: the same keys, and what it writes the schema accepts as it was meant', () => {
    // The browser reads the URL without zod (the market's bundle stays small); this keeps that reader and
    // the API's schema one contract: a filter added to one and not the other fails here.
    const everything = new URLSearchParams(
      'gpu=h100-80gb,l4-24gb&region=eu-west&minGpus=2&minVram=40&maxPrice=2.5&minReliability=99' +
        '&verified=true&verifiedWithin=7d&interconnect=nvlink&minBandwidth=1000&minCpuCores=16&minRam=128' +
        '&minDisk=1000&minCuda=12.8&sort=vram&order=asc&cursor=abc',
    );
    const written = offerFiltersToSearchParams(readOfferFilters(everything));
    const apiOnly = ['limit'];
    expect([...new Set(written.keys())].sort()).toEqual(
      Object.keys(offerSearchQuerySchema.shape)
        .filter((key) => !apiOnly.includes(key))
        .sort(),
    );
    const parsed = offerSearchQuerySchema.parse(searchParamsToObject(written, offerSearchQuerySchema));
    expect(parsed).toMatchObject({
      gpu: ['h100-80gb', 'l4-24gb'],
      region: ['eu-west'],
      minGpus: 2,
      minVram: 40,
      maxPrice: '2.5',
      minReliability: 99,
      verified: 'true',
      verifiedWithin: '7d',
      interconnect: 'nvlink',
      minBandwidth: 1000,
      minCpuCores: 16,
      minRam: 128,
      minDisk: 1000,
      minCuda: '12.8',
      sort: 'vram',
      order: 'asc',
      cursor: 'abc',
    });
  });
});
