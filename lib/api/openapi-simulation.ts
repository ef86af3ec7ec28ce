import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import {
  completeErrorResponses,
  errorResponses,
  idempotencyHeader,
  json,
  optionalBody,
  registerAccountSecuritySchemes,
  SIGNED_IN,
  signedIn,
} from '@/lib/api/openapi-helpers';
import { API_VERSION } from '@/lib/api/openapi';
import {
  simulatedFundingRequestSchema,
  simulatedFundingSchema,
  simulatedFailedCheckSchema,
  simulatedHostFailureSchema,
  simulationAccessSchema,
} from '@/lib/simulation/schemas';

/** Where the simulation document is served; the public reference (`/api/v1/openapi.json`) never lists it. */
export const SIMULATION_OPENAPI_PATH = '/api/v1/simulation/openapi.json';

const FORBIDDEN = {
  description: 'Neither one of the demo’s operators (`SIMULATION_OPERATORS`) nor the node’s own supplier.',
};

/**
 * The demo network's simulation controls, as their own OpenAPI 3.1 document: they are a tool of whoever runs
 * the demo, not part of the marketplace API, so the public reference (`buildOpenApiDocument`, rendered at
 * /docs/api) leaves them out. See docs/demo-network.md.
 */
export function buildSimulationOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registerAccountSecuritySchemes(registry);

  registry.registerPath({
    method: 'get',
    path: '/api/v1/simulation/access',
    operationId: 'getSimulationAccess',
    tags: ['Simulation'],
    summary: 'Whether you may use the simulation controls',
    description:
      'Whether this server runs the simulated demo network, and whether the signed-in account is one of its ' +
      'operators. The dashboard shows the "Simulate host failure" switch only to operators.',
    security: SIGNED_IN,
    responses: { 200: json(simulationAccessSchema, 'Your access.'), ...errorResponses(401, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/simulation/funding',
    operationId: 'fundSimulatedCustomer',
    tags: ['Simulation'],
    summary: 'Top a demo customer up with simulated funds',
    description:
      'For the simulated demand’s own accounts: adds simulated funding (its own ledger source, `simulated_funding`, ' +
      'never counted as an on-chain deposit) to the caller’s available balance, at most 1,000 USDC a request. ' +
      'Refused (422) for any account a person signed in with, and 404 where no simulated network runs. Needs an ' +
      '`Idempotency-Key`: a retried request funds once.',
    security: signedIn('billing'),
    request: {
      headers: idempotencyHeader(true),
      body: { content: { 'application/json': { schema: simulatedFundingRequestSchema } }, required: true },
    },
    responses: {
      200: json(simulatedFundingSchema, 'Funded.'),
      ...errorResponses(400, 401, 404, 409, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/simulation/nodes/{id}/kill',
    operationId: 'simulateHostFailure',
    tags: ['Simulation'],
    summary: 'Make a simulated node vanish',
    description:
      'The simulated node stops heartbeating at once, as a host that lost power would: its jobs fail over after ' +
      'the lost-after window. Only on the demo network, only for nodes of the simulated fleet, and only for the ' +
      'demo’s operators or the node’s own supplier.',
    security: signedIn('jobs'),
    request: { params: uuidParamsSchema, ...optionalBody(emptyBodySchema) },
    responses: {
      200: json(simulatedHostFailureSchema, 'The node stopped heartbeating.'),
      ...errorResponses(400, 401, 403, 404, 409, 500),
      403: { ...errorResponses(403)[403], ...FORBIDDEN },
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/v1/simulation/nodes/{id}/fail-check',
    operationId: 'simulateFailedCheck',
    tags: ['Simulation'],
    summary: 'Make a simulated node fail a check',
    description:
      'The simulated node is caught as a canary job would catch a node that skips its work: it is quarantined, ' +
      'and its customers get the remedies of docs/verification.md — its attempts since its last passed ' +
      'benchmark become suspect and are refunded, their jobs carry a notice, finished ones a signed receipt ' +
      'amendment and a re-run. Only on the demo network, only for nodes of the simulated fleet, and only for the ' +
      'demo’s operators or the node’s own supplier.',
    security: signedIn('supplier'),
    request: { params: uuidParamsSchema, ...optionalBody(emptyBodySchema) },
    responses: {
      200: json(simulatedFailedCheckSchema, 'The node is quarantined (or already was).'),
      ...errorResponses(400, 401, 403, 404, 500),
      403: { ...errorResponses(403)[403], ...FORBIDDEN },
    },
  });

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return completeErrorResponses(
    generator.generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Backfill demo network: simulation controls',
        version: API_VERSION,
        description:
          'NOT PART OF THE BACKFILL MARKETPLACE API. Controls of the simulated demo network, for the people ' +
          'running a demo: they answer 404 on a server without the simulated fleet, and only the demo’s ' +
          'operators (and a node’s own supplier) may use them. The marketplace API is described at ' +
          '/api/v1/openapi.json. See docs/demo-network.md.',
      },
      servers: [{ url: '/' }],
      tags: [
        {
          name: 'Simulation',
          description: 'Demo network only: break simulated hosts on purpose, to watch failover.',
        },
      ],
    }),
  );
}
