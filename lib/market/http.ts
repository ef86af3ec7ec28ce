/**
 * The offers show live availability, so shared caches and browsers keep an answer a second and may serve it
 * stale two more while they revalidate (a 304 with the ETag costs no body). The server's own cache is never
 * staler than its one-second version reading (lib/cache/public-reads.ts).
 */
export const OFFER_SEARCH_CACHE_CONTROL = 'public, max-age=1, stale-while-revalidate=2';

/** The network's totals and price bands move more slowly than one offer's free GPUs: five seconds. */
export const OFFER_SUMMARY_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=10';
