import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import {
  body,
  errorResponses,
  idempotencyHeader,
  json,
  optionalBody,
  optionallySignedIn,
  SIGNED_IN,
  signedIn,
} from '@/lib/api/openapi-helpers';
import {
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  registerRequestSchema,
  registerResponseSchema,
  registrationTokenSchema,
} from '@/lib/agent/schemas';
import {
  jobDetailSchema,
  jobEventPageSchema,
  jobEventsQuerySchema,
  jobListQuerySchema,
  jobPageSchema,
  jobSpecSchema,
  quoteRequestSchema,
  quoteSchema,
  receiptSchema,
  receiptSignerSchema,
} from '@/lib/jobs/schemas';

/** Jobs (customers) and the agent protocol (nodes). The demo's simulation controls are in openapi-simulation.ts. */
export function registerJobPaths(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'nodeToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A node token (`bfn_…`) from /api/v1/agent/register. It acts only for its own node.',
  });
  const NODE = [{ nodeToken: [] }];

  registry.registerPath({
    method: 'post',
    path: '/api/v1/quotes',
    operationId: 'quoteJob',
    tags: ['Jobs'],
    summary: 'Quote a job',
    description:
      'Offers that can run the spec now, the best few by expected cost (price × estimated hours on that GPU ' +
      'model from the reference throughput table, weighed by reliability), the estimated range, and — when ' +
      'signed in — whether your balance covers the budget.',
    request: body(quoteRequestSchema),
    security: optionallySignedIn('jobs'),
    responses: { 200: json(quoteSchema, 'The quote.'), ...errorResponses(400, 403, 415, 429, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/jobs',
    operationId: 'launchJob',
    tags: ['Jobs'],
    summary: 'Launch a job',
    description:
      'Validates the spec, holds the budget from your available balance (402 when it is not there) and queues ' +
      'the job, atomically. Safe to retry with the same `Idempotency-Key`.',
    security: signedIn('jobs'),
    request: { headers: idempotencyHeader(true), ...body(jobSpecSchema) },
    responses: {
      201: json(jobDetailSchema, 'The queued job.'),
      ...errorResponses(400, 401, 402, 403, 409, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs',
    operationId: 'listJobs',
    tags: ['Jobs'],
    summary: 'Your jobs',
    security: SIGNED_IN,
    request: { query: jobListQuerySchema },
    responses: {
      200: json(jobPageSchema, 'A page of jobs, newest first.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs/{id}',
    operationId: 'getJob',
    tags: ['Jobs'],
    summary: 'One job, with its attempts',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(jobDetailSchema, 'The job.'), ...errorResponses(400, 401, 404, 500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/jobs/{id}/cancel',
    operationId: 'cancelJob',
    tags: ['Jobs'],
    summary: 'Cancel a job',
    description:
      'At any point. Heartbeat-backed time up to now is charged; the rest of the hold returns to your balance.',
    security: signedIn('jobs'),
    request: {
      params: uuidParamsSchema,
      headers: idempotencyHeader(false),
      ...optionalBody(emptyBodySchema),
    },
    responses: {
      200: json(jobDetailSchema, 'The cancelled job.'),
      ...errorResponses(400, 401, 403, 404, 409, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/jobs/{id}/rerun',
    operationId: 'rerunJob',
    tags: ['Jobs'],
    summary: 'Re-run suspect work',
    description:
      'For a finished job whose `suspect` notice is set (a node that ran it was quarantined afterwards; its ' +
      'suspect attempts were refunded): launches a new job with the same spec and budget, held from your ' +
      'balance, resuming from the last checkpoint written before the first suspect attempt (or from the start). ' +
      'A pin to the quarantined node is dropped. 409 when nothing is suspect, the job still runs, or it was ' +
      're-run already; 402 when the balance does not cover the budget.',
    security: signedIn('jobs'),
    request: {
      params: uuidParamsSchema,
      headers: idempotencyHeader(false),
      ...optionalBody(emptyBodySchema),
    },
    responses: {
      201: json(jobDetailSchema, 'The re-run, queued.'),
      ...errorResponses(400, 401, 402, 403, 404, 409, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs/{id}/events',
    operationId: 'listJobEvents',
    tags: ['Jobs'],
    summary: 'Job events after an id',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema, query: jobEventsQuerySchema },
    responses: {
      200: json(jobEventPageSchema, 'Events, oldest first.'),
      ...errorResponses(400, 401, 404, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs/{id}/stream',
    operationId: 'streamJobEvents',
    tags: ['Jobs'],
    summary: 'Live job events (Server-Sent Events)',
    description:
      'Each message: `id` (the event id), `event` (its type), `data` (the JobEvent JSON). Resumes after the ' +
      '`Last-Event-ID` header (EventSource sends it on reconnect) or `?after=`; no event is lost or repeated.',
    security: SIGNED_IN,
    request: {
      params: uuidParamsSchema,
      query: z.object({ after: z.number().int().optional() }),
    },
    responses: {
      200: { description: 'An event stream.', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(400, 401, 404, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs/{id}/logs',
    operationId: 'downloadJobLogs',
    tags: ['Jobs'],
    summary: 'Download the job’s log',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: {
      200: { description: 'Every log line.', content: { 'text/plain': { schema: z.string() } } },
      ...errorResponses(400, 401, 404, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/jobs/{id}/receipt',
    operationId: 'getJobReceipt',
    tags: ['Jobs'],
    summary: 'The signed job receipt',
    description:
      'Spec hash, the nodes and GPU serials of every attempt, metered and forfeited time, charges and ledger ' +
      'postings, signed by the marketplace (EIP-191). Verify with viem `verifyMessage({ address: signer, ' +
      'message: payload, signature })`. 404 until the job has ended.',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(receiptSchema, 'The receipt.'), ...errorResponses(400, 401, 404, 500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/receipts/signer',
    operationId: 'getReceiptSigner',
    tags: ['Jobs'],
    summary: 'The receipt-signing address',
    responses: { 200: json(receiptSignerSchema, 'The address.'), ...errorResponses(500) },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/nodes/registration-tokens',
    operationId: 'createNodeRegistrationToken',
    tags: ['Agent'],
    summary: 'Get a one-time node registration token',
    description: 'For `npm run agent -- --token …` on a new machine. Single use, valid one hour.',
    security: signedIn('supplier'),
    request: optionalBody(emptyBodySchema),
    responses: {
      201: json(registrationTokenSchema, 'The token, shown once.'),
      ...errorResponses(401, 403, 415, 429, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/agent/register',
    operationId: 'registerNode',
    tags: ['Agent'],
    summary: 'Register a node',
    description:
      'Consumes the registration token; answers the node token (shown once) and the heartbeat timing. An ' +
      'agent older than the marketplace’s minimum version is refused with 426 and the token stays unused.',
    request: body(registerRequestSchema),
    responses: {
      201: json(registerResponseSchema, 'The node and its token.'),
      ...errorResponses(400, 401, 415, 426, 429, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/agent/heartbeat',
    operationId: 'heartbeat',
    tags: ['Agent'],
    summary: 'Heartbeat',
    description:
      'Status, GPU telemetry and one report per lease (progress, checkpoint, log lines, completion), each with ' +
      "its fencing token. A report with a stale token, or for a lease that has ended, changes nothing and earns nothing; the reply's " +
      '`cancellations` tell the agent to stop it. The reply also carries new assignments. An agent older than ' +
      'the marketplace’s minimum version is answered 426, and nothing of its heartbeat counts.',
    security: NODE,
    request: body(heartbeatRequestSchema),
    responses: {
      200: json(heartbeatResponseSchema, 'Assignments and cancellations.'),
      ...errorResponses(400, 401, 415, 426, 500),
    },
  });
}
