import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { OfferExplorer } from '@/components/market/offer-explorer';
import { searchParamsToObject } from '@/lib/api/search-params';
import { appContext } from '@/lib/app-context';
import { readOfferSearch } from '@/lib/cache/public-reads';
import { OFFER_COLUMNS_COOKIE, readOfferColumns } from '@/lib/market/offer-columns';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';
import { readOfferFilters } from '@/lib/market/offer-url';
import { queryKeys } from '@/lib/queries/keys';

export const metadata: Metadata = { title: 'Market' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toUrlSearchParams(record: Awaited<SearchParams>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  return params;
}

export default async function MarketPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await appContext();
  const params = toUrlSearchParams(await searchParams);
  const filters = readOfferFilters(params);
  // The renter's column choice, so the first paint already has the table they will see.
  const columns = readOfferColumns((await cookies()).get(OFFER_COLUMNS_COOKIE)?.value);
  const queryClient = new QueryClient();
  // First page rendered on the server with the same query the client would send; invalid input is left
  // to the client's request so the API's 400 (naming the fields) is what the user sees.
  const parsed = offerSearchQuerySchema.safeParse(searchParamsToObject(params, offerSearchQuerySchema));
  if (parsed.success) {
    // The cached read `GET /api/v1/offers` serves for the same query.
    const page = await readOfferSearch(ctx, parsed.data).catch(() => null);
    if (page) queryClient.setQueryData(queryKeys.offers.list(filters), page.value);
  }

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">GPU market</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          GPUs you can rent now. Reliability is measured uptime over 30 days; “$/work unit” is the price of
          one A100 80GB-hour of work on that GPU, so different models compare directly.
        </p>
      </div>
      {/* No Suspense boundary here: the first page of offers is part of the first paint, never a
          "Loading…" placeholder that the table then pushes down (a layout shift). */}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <OfferExplorer now={ctx.clock.now().toISOString()} columns={columns} />
      </HydrationBoundary>
    </div>
  );
}
