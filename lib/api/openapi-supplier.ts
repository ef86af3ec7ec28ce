import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { pageQuerySchema } from '@/lib/api/common-schemas';
import {
  body,
  csv,
  errorResponses,
  idempotencyHeader,
  json,
  SIGNED_IN,
  signedIn,
} from '@/lib/api/openapi-helpers';
import { nodeIdParamsSchema } from '@/lib/market/node-schemas';
import {
  dayRangeQuerySchema,
  supplierEarningsSchema,
  supplierNodePageSchema,
  supplierNodeSchema,
  updateNodePriceSchema,
} from '@/lib/supplier/schemas';

/** The supplier console: your nodes, their price, your earnings (paid work and incentives) and CSV exports. */
export function registerSupplierPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/supplier/nodes',
    operationId: 'listSupplierNodes',
    tags: ['Supplier'],
    summary: 'Your nodes',
    description:
      'Status, GPUs, 30-day uptime (and per day), utilization, verification, the market band of the GPU model, ' +
      'the estimated monthly earnings at the observed utilization, and earnings today and over 30 days. Newest ' +
      'first, one keyset page at a time.',
    security: SIGNED_IN,
    request: { query: pageQuerySchema },
    responses: {
      200: json(supplierNodePageSchema, 'A page of your nodes.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/v1/nodes/{id}',
    operationId: 'updateNodePrice',
    tags: ['Supplier'],
    summary: 'Set a node’s price',
    description:
      'Owner only (another account’s node is a 404). The market offer shows the new price at once; jobs already ' +
      'placed keep the price they locked.',
    security: signedIn('supplier'),
    request: {
      params: nodeIdParamsSchema,
      headers: idempotencyHeader(false),
      ...body(updateNodePriceSchema),
    },
    responses: {
      200: json(supplierNodeSchema, 'The node with its new price.'),
      ...errorResponses(400, 401, 403, 404, 409, 415, 422, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/supplier/earnings',
    operationId: 'getSupplierEarnings',
    tags: ['Supplier'],
    summary: 'Your earnings',
    description:
      'Paid work (your share of captured charges, USDC) and incentives (network tokens, with their USD value at ' +
      'emission) per UTC day and per node over a range of at most 366 days (default: the last 30), with totals ' +
      'and your balances: payable, payout pending, held (quarantine) and incentives. Canary jobs are unpaid ' +
      'checks and never appear.',
    security: SIGNED_IN,
    request: { query: dayRangeQuerySchema },
    responses: {
      200: json(supplierEarningsSchema, 'The earnings of the range.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/supplier/earnings/export',
    operationId: 'exportSupplierEarnings',
    tags: ['Supplier'],
    summary: 'Earnings as CSV',
    description:
      'One row per capture of paid work and per epoch reward of each node: `date, at, kind (paid | incentive), ' +
      'node_id, node_name, job_id, amount, currency (USDC | INCENTIVE), usd_value, usd_price, ' +
      'ledger_transaction_id`. Amounts are exact decimals; `usd_price` is the USD price per token at emission ' +
      '(1 for USDC).',
    security: SIGNED_IN,
    request: { query: dayRangeQuerySchema },
    responses: { 200: csv('The earnings of the range, oldest first.'), ...errorResponses(400, 401, 500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/supplier/payouts/export',
    operationId: 'exportSupplierPayouts',
    tags: ['Supplier'],
    summary: 'Payouts as CSV',
    description:
      'Payouts requested in the range: `payout_id, requested_at, confirmed_at, state, amount, currency, ' +
      'usd_value, chain_id, to_address, tx_hash, explorer_url, failure_reason`.',
    security: SIGNED_IN,
    request: { query: dayRangeQuerySchema },
    responses: { 200: csv('The payouts of the range, oldest first.'), ...errorResponses(400, 401, 500) },
  });
}
