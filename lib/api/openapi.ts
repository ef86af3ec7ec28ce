import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorEnvelopeSchema } from '@/lib/api/errors';
import { nodeDetailSchema, nodeIdParamsSchema } from '@/lib/market/node-schemas';
import { offerPageSchema, offerSearchQuerySchema, offerSummarySchema } from '@/lib/market/offer-schemas';

export const API_VERSION = '0.1.0';

function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input; `error.fields` names the offending fields.',
    404: 'No such resource.',
    500: 'Unexpected failure; the message carries an incident id and no internals.',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/json': { schema: errorEnvelopeSchema } },
      },
    ]),
  );
}

/** Builds the OpenAPI 3.1 document from the same zod schemas the handlers parse with. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();

  registry.registerPath({
    method: 'get',
    path: '/api/v1/offers',
    operationId: 'searchOffers',
    tags: ['Market'],
    summary: 'Search offers',
    description:
      'GPUs that can be rented now, filtered and sorted, one keyset page at a time. Pass `nextCursor` back as `cursor` ' +
      'with the same filters and sort to get the next page; pages never repeat or skip an offer, even when sort values tie.',
    request: { query: offerSearchQuerySchema },
    responses: {
      200: { description: 'A page of offers.', content: { 'application/json': { schema: offerPageSchema } } },
      ...errorResponses(400, 500),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/offers/summary',
    operationId: 'summarizeOffers',
    tags: ['Market'],
    summary: 'Supply now, by GPU model',
    description:
      'Nodes and GPUs online, verified GPUs, and P10 / median / P90 price per GPU-hour for each model.',
    responses: {
      200: {
        description: 'The network now.',
        content: { 'application/json': { schema: offerSummarySchema } },
      },
      ...errorResponses(500),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/nodes/{id}',
    operationId: 'getNode',
    tags: ['Market'],
    summary: 'One node',
    description:
      'Hardware, 30-day uptime by day, reliability, verification history, price and its market band.',
    request: { params: nodeIdParamsSchema },
    responses: {
      200: { description: 'The node.', content: { 'application/json': { schema: nodeDetailSchema } } },
      ...errorResponses(400, 404, 500),
    },
  });

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Backfill marketplace API',
      version: API_VERSION,
      description:
        'The API behind the Backfill dashboard. JSON only. Money is integer micro-USDC carried as strings ' +
        '(1 USDC = 1,000,000). Errors always have the shape `{ "error": { "code", "message", "fields"? } }`.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'Market', description: 'Browse supply: offers, prices and nodes. Public, no sign-in.' }],
  });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
