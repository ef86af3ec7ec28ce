import { expect, type APIRequestContext } from '@playwright/test';
import type { NodeDetail } from '@/lib/market/node-schemas';
import type { OfferPage, OfferSummary } from '@/lib/market/offer-schemas';

/**
 * The public API, read the way any client would. The UI is checked against these answers, so the
 * expectations come from the same contract the page renders, not from copies of the seed data.
 */
export class MarketApi {
  constructor(private readonly request: APIRequestContext) {}

  /** `GET /api/v1/offers?<query>`; the query is passed through untouched. */
  async offers(query = ''): Promise<OfferPage> {
    const response = await this.request.get(`/api/v1/offers${query ? `?${query}` : ''}`);
    expect(response.status(), `GET /api/v1/offers?${query}`).toBe(200);
    return (await response.json()) as OfferPage;
  }

  async summary(): Promise<OfferSummary> {
    const response = await this.request.get('/api/v1/offers/summary');
    expect(response.status(), 'GET /api/v1/offers/summary').toBe(200);
    return (await response.json()) as OfferSummary;
  }

  async node(id: string): Promise<NodeDetail> {
    const response = await this.request.get(`/api/v1/nodes/${id}`);
    expect(response.status(), `GET /api/v1/nodes/${id}`).toBe(200);
    return (await response.json()) as NodeDetail;
  }

  /** Id of the first listed offer, for tests that need any real node. */
  async firstNodeId(): Promise<string> {
    const first = (await this.offers()).data[0];
    if (!first) throw new Error('The demo network lists no offers.');
    return first.nodeId;
  }
}
