import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFER_COLUMNS,
  OFFER_COLUMNS,
  OFFER_COLUMNS_COOKIE,
  offerColumnsCookie,
  readOfferColumns,
  readOfferColumnsCookie,
  visibleOfferColumns,
} from '@/lib/market/offer-columns';
import { OFFER_SORTS } from '@/lib/market/offer-sorts';

describe('offer table columns', () => {
  it('shows the defaults until a choice is made, and a choice in table order with GPU and price kept', () => {
    expect(readOfferColumns(undefined)).toEqual(DEFAULT_OFFER_COLUMNS);
    expect(readOfferColumns('')).toEqual(DEFAULT_OFFER_COLUMNS);
    expect(readOfferColumns('nonsense,../etc')).toEqual(DEFAULT_OFFER_COLUMNS);
    expect(readOfferColumns('cuda,ram,quantum')).toEqual(['gpu', 'price', 'ram', 'cuda']);
  });

  it('writes a cookie the reader reads back', () => {
    const cookie = offerColumnsCookie(['gpu', 'price', 'disk']);
    expect(cookie.startsWith(`${OFFER_COLUMNS_COOKIE}=gpu,price,disk;`)).toBe(true);
    expect(cookie).toContain('path=/');
    const value = cookie.slice(OFFER_COLUMNS_COOKIE.length + 1, cookie.indexOf(';'));
    expect(readOfferColumns(value)).toEqual(['gpu', 'price', 'disk']);
    // As the browser lists it among other cookies.
    expect(readOfferColumnsCookie(`theme=dark; ${OFFER_COLUMNS_COOKIE}=${value}; other=1`)).toEqual([
      'gpu',
      'price',
      'disk',
    ]);
    expect(readOfferColumnsCookie('theme=dark')).toEqual(DEFAULT_OFFER_COLUMNS);
  });

  it('shows the column of the sort and of every active filter', () => {
    const chosen = ['gpu', 'price'] as const;
    expect([...visibleOfferColumns(chosen, { sort: 'price' })]).toEqual(['gpu', 'price']);
    expect(visibleOfferColumns(chosen, { sort: 'ram' }).has('ram')).toBe(true);
    const filtered = visibleOfferColumns(chosen, {
      sort: 'price',
      minCpuCores: '16',
      minDisk: '1000',
      minCuda: '12.4',
      minBandwidth: '1000',
      interconnect: 'nvlink',
    });
    expect([...filtered].sort()).toEqual(['cpu', 'cuda', 'disk', 'gpu', 'link', 'network', 'price']);
  });

  it('gives every sort key a column, so a sorted view always shows what it is sorted by', () => {
    const sorts = OFFER_COLUMNS.flatMap((c) => ('sort' in c ? [c.sort] : []));
    expect([...sorts].sort()).toEqual([...OFFER_SORTS].sort());
  });
});
