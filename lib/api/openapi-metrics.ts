import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  cachedReadResponses,
  conditionalGetHeaders,
  csv,
  errorResponses,
  json,
} from '@/lib/api/openapi-helpers';
import { METRICS } from '@/lib/metrics/definitions';
import { METRICS_CACHE_CONTROL } from '@/lib/metrics/http';
import {
  exportDayParamsSchema,
  exportManifestSchema,
  historyStatusResponseSchema,
  metricParamsSchema,
  metricQuerySchema,
  metricSeriesSchema,
  metricsSummarySchema,
} from '@/lib/metrics/schemas';
import { reconciliationSchema } from '@/lib/reconciliation/schemas';
import { livenessSchema, readinessSchema } from '@/lib/server/health-schemas';

const CACHING =
  `Public and cacheable: \`Cache-Control: ${METRICS_CACHE_CONTROL}\` (the rollups behind it are refreshed ` +
  'every 30 seconds).';
/** The summary and the series are served from the rollups' cache, with an ETag (lib/cache/public-reads.ts). */
const REVALIDATION =
  ' The server answers from a cache renewed when the rollups are refreshed; each answer carries a strong ' +
  '`ETag`, and a request naming it in `If-None-Match` is answered 304 with no body while it is current.';

/** The public network metrics: no sign-in, JSON or CSV. */
/** Liveness and readiness, for load balancers and orchestrators (docs/deploy.md). */
export function registerHealthPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/health/live',
    operationId: 'getLiveness',
    tags: ['Health'],
    summary: 'Whether this instance’s process answers',
    description:
      'Touches nothing but the process: 200 while it serves, 503 once it is draining after SIGTERM (it finishes ' +
      'the requests in flight and ends event streams with a reconnect hint). `Cache-Control: no-store`.',
    responses: {
      200: json(livenessSchema, 'Serving.'),
      503: json(livenessSchema, 'Draining: send new requests elsewhere.'),
      ...errorResponses(500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/health/ready',
    operationId: 'getReadiness',
    tags: ['Health'],
    summary: 'Whether this instance should be sent traffic',
    description:
      'Ready when the process is not draining, the database answers, every migration this build ships is ' +
      'applied, the chain RPC answers (when one is configured), and no background loop is stalled — some worker ' +
      '(`npm run worker`, or the web process’s embedded one) must be running them. Every check is listed with ' +
      'each loop’s last success and error. The checks run at most once a second per instance (concurrent ' +
      'probes share them; draining shows at once). `Cache-Control: no-store`.',
    responses: {
      200: json(readinessSchema, 'Ready.'),
      503: json(readinessSchema, 'Not ready; the failing checks say why.'),
      ...errorResponses(500),
    },
  });
}

export function registerMetricsPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics',
    operationId: 'getMetricsSummary',
    tags: ['Metrics'],
    summary: 'Headline figures and the list of metrics',
    description:
      'The trailing 30 days (paid GPU-hours, paid demand, incentives, subsidy ratio, take rate, job success, ' +
      'time to schedule), the latest complete month (paying customers, net revenue retention), verified GPUs ' +
      'online now, whether the data is the simulated demo network and how far its generated history has got. ' +
      CACHING +
      REVALIDATION,
    request: { headers: conditionalGetHeaders },
    responses: {
      ...cachedReadResponses(json(metricsSummarySchema, 'The summary.'), METRICS_CACHE_CONTROL),
      ...errorResponses(500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics/history',
    operationId: 'getDemoHistoryStatus',
    tags: ['Metrics'],
    summary: 'How far the simulated network’s history has been generated',
    description:
      'Null when the network has no generated history (a real network). The pages poll it while the history ' +
      'generates, so their progress moves without a reload. Public, `Cache-Control: no-store`.',
    responses: { 200: json(historyStatusResponseSchema, 'The history’s progress.'), ...errorResponses(500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics/{metric}',
    operationId: 'getMetric',
    tags: ['Metrics'],
    summary: 'One metric over a date range',
    description:
      'Rows per period (UTC day, week from Monday, or month) between `from` and `to` inclusive, with the ' +
      'methodology and the column definitions. Customer metrics (paying customers, cohort retention, net ' +
      'revenue retention, top-10 share) are monthly. `format=csv` (or `Accept: text/csv`) answers CSV with a ' +
      'header of the column keys. Metrics: ' +
      METRICS.map((m) => `\`${m.id}\` (${m.title})`).join(', ') +
      '. ' +
      CACHING +
      REVALIDATION +
      ' JSON and CSV have ETags of their own, and both answers vary on `Accept`.',
    request: { params: metricParamsSchema, query: metricQuerySchema, headers: conditionalGetHeaders },
    responses: {
      ...cachedReadResponses(
        {
          description: 'The metric as JSON, or as CSV when asked.',
          content: {
            ...json(metricSeriesSchema, '').content,
            ...csv('').content,
          },
        },
        METRICS_CACHE_CONTROL,
        'Accept',
      ),
      ...errorResponses(400, 404, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics/chain-reconciliation',
    operationId: 'getChainReconciliation',
    tags: ['Metrics'],
    summary: 'The ledger reconciled with the chain, transfer by transfer',
    description:
      'Read from the chain itself, not from the deposit and payout records: the treasury’s USDC balance and ' +
      'every USDC Transfer log into and out of the treasury from the configured start block to the head. ' +
      'Against it the ledger’s deposit credits (each must have its transfer in, same transaction, log index and ' +
      'amount), its settled payouts (each must have its transfer out) and its simulated funding (the demo ' +
      'network’s ledger-only money: listed as simulated, never matched). Every difference is listed: an ' +
      'unbacked credit, an amount mismatch, a transfer in that never reached the ledger (with its deposit ' +
      'record’s state), a payout without a transfer, a transfer out that is no payout, and the treasury’s ' +
      'balance against its opening balance plus transfers in less transfers out. Mints, the platform’s own ' +
      'money and the treasury paying itself are explained; a deposit within its confirmations or a payout being ' +
      'confirmed is pending. `status` is `failed` when any difference is unexplained, `unavailable` (with ' +
      '`message`) when no chain is configured or it could not be read. Public and cacheable for 30 seconds ' +
      '(`Cache-Control: public, max-age=30, stale-while-revalidate=60`).',
    responses: { 200: json(reconciliationSchema, 'The reconciliation.'), ...errorResponses(500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics/exports',
    operationId: 'getMetricsExports',
    tags: ['Metrics'],
    summary: 'Manifest of the daily raw exports',
    description:
      'Every closed UTC day whose raw, pseudonymous rows (charges, ended jobs, first placements, incentive ' +
      'epochs, deposits, payouts) are published, with the sha256 of its file, the hash chain linking it to the ' +
      'previous day and the marketplace key’s EIP-191 signature of the entry. With them anyone can recompute ' +
      'every metric: `npm run metrics:verify -- --url <marketplace>` (docs/metrics.md). ' +
      CACHING,
    responses: { 200: json(exportManifestSchema, 'The manifest, oldest day first.'), ...errorResponses(500) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/metrics/exports/{day}',
    operationId: 'getMetricsExport',
    tags: ['Metrics'],
    summary: 'One day’s raw export',
    description:
      'The file (JSON, format `backfill-metrics-export/3`, documented in docs/metrics.md), byte for byte as ' +
      'hashed in the manifest; its sha256 is also in the `X-Content-SHA256` header. A published day never ' +
      'changes: `Cache-Control: public, max-age=86400, immutable`.',
    request: { params: exportDayParamsSchema },
    responses: {
      200: {
        description: 'The export file.',
        headers: {
          'X-Content-SHA256': { description: 'sha256 of the body, hex.', schema: { type: 'string' } },
        },
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...errorResponses(400, 404, 500),
    },
  });
}
