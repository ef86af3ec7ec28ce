import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { emptyBodySchema, pageQuerySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import {
  body,
  cachedReadResponses,
  completeErrorResponses,
  conditionalGetHeaders,
  errorResponses,
  idempotencyHeader,
  json,
  optionalBody,
  registerAccountSecuritySchemes,
  SIGNED_IN,
  signedIn,
} from '@/lib/api/openapi-helpers';
import { registerAgentReleasePaths } from '@/lib/api/openapi-agent-release';
import { registerFilePaths } from '@/lib/api/openapi-files';
import { registerJobPaths } from '@/lib/api/openapi-jobs';
import { registerHealthPaths, registerMetricsPaths } from '@/lib/api/openapi-metrics';
import { registerSupplierPaths } from '@/lib/api/openapi-supplier';
import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeyRequestSchema,
  createdApiKeySchema,
  nonceResponseSchema,
  sessionResponseSchema,
  verifyRequestSchema,
} from '@/lib/auth/schemas';
import {
  accountSettingsSchema,
  balanceSchema,
  chainInfoSchema,
  ledgerPageSchema,
  statementParamsSchema,
  statementQuerySchema,
  statementSchema,
} from '@/lib/billing/schemas';
import { depositPageSchema, depositSchema, submitDepositRequestSchema } from '@/lib/deposits/schemas';
import {
  payoutPageSchema,
  payoutSchema,
  requestPayoutSchema,
  requestWithdrawalSchema,
} from '@/lib/payouts/schemas';
import { OFFER_SEARCH_CACHE_CONTROL, OFFER_SUMMARY_CACHE_CONTROL } from '@/lib/market/http';
import { nodeDetailSchema, nodeIdParamsSchema } from '@/lib/market/node-schemas';
import { offerPageSchema, offerSearchQuerySchema, offerSummarySchema } from '@/lib/market/offer-schemas';

export const API_VERSION = '0.1.0';

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
      'with the same filters and sort to get the next page; pages never repeat or skip an offer, even when sort values tie. ' +
      'Served from a cache that is never older than a second (free GPUs are live): `Cache-Control: ' +
      OFFER_SEARCH_CACHE_CONTROL +
      '`, with an `ETag` to revalidate with `If-None-Match` (304 when unchanged).',
    request: { query: offerSearchQuerySchema, headers: conditionalGetHeaders },
    responses: {
      ...cachedReadResponses(json(offerPageSchema, 'A page of offers.'), OFFER_SEARCH_CACHE_CONTROL),
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
      'Nodes and GPUs online, verified GPUs, and P10 / median / P90 price per GPU-hour for each model. ' +
      'Served from a cache that is never older than a second: `Cache-Control: ' +
      OFFER_SUMMARY_CACHE_CONTROL +
      '`, with an `ETag` to revalidate with `If-None-Match` (304 when unchanged).',
    request: { headers: conditionalGetHeaders },
    responses: {
      ...cachedReadResponses(json(offerSummarySchema, 'The network now.'), OFFER_SUMMARY_CACHE_CONTROL),
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

  registerAccountPaths(registry);
  registerJobPaths(registry);
  registerAgentReleasePaths(registry);
  registerFilePaths(registry);
  registerSupplierPaths(registry);
  registerMetricsPaths(registry);
  registerHealthPaths(registry);

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return completeErrorResponses(
    generator.generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Backfill marketplace API',
        version: API_VERSION,
        description:
          'The API behind the Backfill dashboard. JSON only. Money is integer micro-USDC carried as strings ' +
          '(1 USDC = 1,000,000). Errors always have the shape `{ "error": { "code", "message", "fields"? } }`.',
      },
      servers: [{ url: '/' }],
      tags: [
        { name: 'Market', description: 'Browse supply: offers, prices and nodes. Public, no sign-in.' },
        {
          name: 'Auth',
          description:
            'Sign-In with Ethereum: get a nonce, sign the EIP-4361 message with your wallet, verify it to receive ' +
            'an HttpOnly session cookie. Programmatic clients use API keys as bearer tokens instead.',
        },
        { name: 'Billing', description: 'Balances, the ledger, deposits and the chain they arrive on.' },
        { name: 'Payouts', description: "Withdraw a supplier's payable balance on-chain." },
        {
          name: 'Supplier',
          description: 'Your nodes and their price, your earnings and CSV exports for accounting.',
        },
        {
          name: 'Jobs',
          description:
            'Quote, launch, watch (SSE) and cancel jobs; download logs and signed receipts. Launches hold the budget.',
        },
        {
          name: 'Metrics',
          description:
            'Public network metrics computed from the ledger and job records: paid usage, demand vs incentives, ' +
            'customers and retention, verified supply, outcomes, reconciliation. JSON or CSV; see docs/metrics.md.',
        },
        {
          name: 'Health',
          description: 'Liveness and readiness for load balancers and orchestrators; see docs/deploy.md.',
        },
        {
          name: 'Agent',
          description:
            'The node agent protocol: register with a one-time token, then heartbeat with the node token ' +
            '(`Authorization: Bearer bfn_…`). See docs/agent.md.',
        },
      ],
    }),
  );
}

/** Sign-in, API keys, billing, deposits and payouts: the endpoints of a signed-in account. */
function registerAccountPaths(registry: OpenAPIRegistry): void {
  registerAccountSecuritySchemes(registry);

  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/nonce',
    operationId: 'createSignInNonce',
    tags: ['Auth'],
    summary: 'Get a sign-in nonce',
    description:
      'A single-use nonce (valid 10 minutes) and the domain, URI and chains the signed message must name.',
    request: optionalBody(emptyBodySchema),
    responses: { 200: json(nonceResponseSchema, 'The nonce.'), ...errorResponses(400, 403, 415, 429, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/verify',
    operationId: 'signIn',
    tags: ['Auth'],
    summary: 'Sign in with a signed message',
    description:
      'Verifies the EIP-4361 message (domain, URI, chain, nonce, expiry, signer) and sets the session cookie. ' +
      'The account is created on first sign-in.',
    request: body(verifyRequestSchema),
    responses: {
      200: json(sessionResponseSchema, 'Signed in; the session cookie is set.'),
      ...errorResponses(400, 401, 403, 415, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/auth/session',
    operationId: 'getSession',
    tags: ['Auth'],
    summary: 'Who is signed in',
    responses: {
      200: json(sessionResponseSchema, 'The session, or `account: null`.'),
      ...errorResponses(500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/logout',
    operationId: 'signOut',
    tags: ['Auth'],
    summary: 'Sign out',
    description: 'Revokes the session on the server and clears the cookie.',
    request: optionalBody(emptyBodySchema),
    responses: { 200: json(sessionResponseSchema, 'Signed out.'), ...errorResponses(403, 415, 500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/api-keys',
    operationId: 'listApiKeys',
    tags: ['Auth'],
    summary: 'List API keys',
    security: SIGNED_IN,
    responses: { 200: json(apiKeyListSchema, 'Your keys (never the secrets).'), ...errorResponses(401, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/api-keys',
    operationId: 'createApiKey',
    tags: ['Auth'],
    summary: 'Create an API key',
    description: 'The key is in this answer only; it is stored as a hash. Needs a wallet session.',
    security: [{ session: [] }],
    request: body(createApiKeyRequestSchema),
    responses: {
      201: json(createdApiKeySchema, 'The new key, shown once.'),
      ...errorResponses(400, 401, 403, 409, 415, 429, 500),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/api-keys/{id}',
    operationId: 'revokeApiKey',
    tags: ['Auth'],
    summary: 'Revoke an API key',
    security: [{ session: [] }],
    request: { params: uuidParamsSchema, ...optionalBody(emptyBodySchema) },
    responses: { 200: json(apiKeySchema, 'The revoked key.'), ...errorResponses(400, 401, 403, 404, 500) },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/v1/chain',
    operationId: 'getChain',
    tags: ['Billing'],
    summary: 'The chain deposits arrive on',
    description: 'Chain id, USDC contract, treasury address and required confirmations.',
    responses: { 200: json(chainInfoSchema, 'The configured chain.'), ...errorResponses(422, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/chain/rpc',
    operationId: 'chainRpc',
    tags: ['Billing'],
    summary: 'JSON-RPC for the dashboard',
    description:
      'Forwards read methods and `eth_sendRawTransaction` to the configured node (single or batch of up to 20). ' +
      'On the local test chain only, also the signing methods of the local test wallets.',
    request: body(z.unknown()),
    responses: {
      200: json(z.unknown(), 'The JSON-RPC answer(s); refused methods answer a JSON-RPC error in place.'),
      ...errorResponses(400, 403, 415, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/balance',
    operationId: 'getBalance',
    tags: ['Billing'],
    summary: 'Balances',
    security: SIGNED_IN,
    responses: {
      200: json(balanceSchema, 'Available, reserved, payable and runway.'),
      ...errorResponses(401, 500),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/account/settings',
    operationId: 'updateAccountSettings',
    tags: ['Billing'],
    summary: 'Low-balance threshold',
    security: signedIn('billing'),
    request: body(accountSettingsSchema),
    responses: {
      200: json(accountSettingsSchema, 'The saved settings.'),
      ...errorResponses(400, 401, 403, 415, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ledger',
    operationId: 'listLedgerEntries',
    tags: ['Billing'],
    summary: 'Ledger entries',
    description: 'Postings on your accounts, newest first, one keyset page at a time.',
    security: SIGNED_IN,
    request: { query: pageQuerySchema },
    responses: { 200: json(ledgerPageSchema, 'A page of entries.'), ...errorResponses(400, 401, 500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/ledger/export',
    operationId: 'exportLedger',
    tags: ['Billing'],
    summary: 'Ledger as CSV',
    security: SIGNED_IN,
    responses: {
      200: { description: 'Every entry, as CSV.', content: { 'text/csv': { schema: z.string() } } },
      ...errorResponses(401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/statements/{month}',
    operationId: 'getStatement',
    tags: ['Billing'],
    summary: 'Monthly statement',
    description:
      'Your statement for a calendar month (UTC), from the ledger: for each of your ledger accounts the balance ' +
      'at the start, what moved it by kind of transaction (deposits, holds and charges of jobs, releases, ' +
      'refunds, withdrawals, payouts, earnings) and the balance at the end. As CSV (`format=csv`), every posting ' +
      'of the month with the balance after it, between each account’s opening and closing balance.',
    security: SIGNED_IN,
    request: { params: statementParamsSchema, query: statementQuerySchema },
    responses: {
      200: {
        description: 'The statement.',
        content: {
          'application/json': { schema: statementSchema },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/deposits',
    operationId: 'submitDeposit',
    tags: ['Billing'],
    summary: 'Submit a deposit transaction',
    description:
      'After your wallet sent `USDC.transfer(treasury, amount)`, submit the transaction hash. The server reads the ' +
      'receipt and Transfer log itself and credits the amount in the log once it has the required confirmations. ' +
      'Rejections have a named reason. Transfers made outside the dashboard are found by the indexer.',
    security: signedIn('billing'),
    request: body(submitDepositRequestSchema),
    responses: {
      200: json(depositSchema, 'The deposit and its state.'),
      ...errorResponses(400, 401, 403, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/deposits',
    operationId: 'listDeposits',
    tags: ['Billing'],
    summary: 'Your deposits',
    security: SIGNED_IN,
    request: { query: pageQuerySchema },
    responses: {
      200: json(depositPageSchema, 'A page of deposits, newest first.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/deposits/{id}',
    operationId: 'getDeposit',
    tags: ['Billing'],
    summary: 'One deposit',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(depositSchema, 'The deposit.'), ...errorResponses(400, 401, 404, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/payouts',
    operationId: 'requestPayout',
    tags: ['Payouts'],
    summary: 'Withdraw payable earnings',
    description:
      'Reserves the amount and sends it on-chain from the treasury to your wallet. Safe to retry with the same ' +
      '`Idempotency-Key`; a server crash mid-send never sends twice.',
    security: signedIn('billing'),
    request: { headers: idempotencyHeader(true), ...body(requestPayoutSchema) },
    responses: {
      201: json(payoutSchema, 'The payout and its state.'),
      ...errorResponses(400, 401, 402, 403, 409, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/payouts',
    operationId: 'listPayouts',
    tags: ['Payouts'],
    summary: 'Your payouts',
    security: SIGNED_IN,
    request: { query: pageQuerySchema },
    responses: {
      200: json(payoutPageSchema, 'A page of payouts, newest first.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/payouts/{id}',
    operationId: 'getPayout',
    tags: ['Payouts'],
    summary: 'One payout',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(payoutSchema, 'The payout.'), ...errorResponses(400, 401, 404, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/withdrawals',
    operationId: 'requestWithdrawal',
    tags: ['Billing'],
    summary: 'Withdraw unused balance',
    description:
      'Sets the amount aside from your available balance (never from what running jobs hold) and sends it ' +
      'on-chain from the treasury to the wallet you signed in with, through the same machinery as payouts. ' +
      'More than the available balance is 402 and nothing is recorded. Safe to retry with the same ' +
      '`Idempotency-Key`; a failed transfer returns the amount to your available balance.',
    security: signedIn('billing'),
    request: { headers: idempotencyHeader(true), ...body(requestWithdrawalSchema) },
    responses: {
      201: json(payoutSchema, 'The withdrawal (source `customer_balance`) and its state.'),
      ...errorResponses(400, 401, 402, 403, 409, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/withdrawals',
    operationId: 'listWithdrawals',
    tags: ['Billing'],
    summary: 'Your withdrawals',
    security: SIGNED_IN,
    request: { query: pageQuerySchema },
    responses: {
      200: json(payoutPageSchema, 'A page of withdrawals, newest first.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/withdrawals/{id}',
    operationId: 'getWithdrawal',
    tags: ['Billing'],
    summary: 'One withdrawal',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(payoutSchema, 'The withdrawal.'), ...errorResponses(400, 401, 404, 500) },
  });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
