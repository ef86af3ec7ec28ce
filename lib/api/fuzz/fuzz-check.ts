import { ERROR_STATUS, errorEnvelopeSchema } from '@/lib/api/errors';
import { call } from '@/lib/testing/api-harness';
import type { RouteHandler } from '@/lib/testing/api-routes';
import { describeRequest, type ConcreteRequest } from '@/lib/api/fuzz/fuzz-request';
import type { Snapshot } from '@/lib/api/fuzz/database-snapshot';
import type { FuzzWorld } from '@/lib/api/fuzz/fuzz-world';
import { preview } from '@/lib/api/fuzz/json-text';
import type { FuzzOperation } from '@/lib/api/fuzz/operations';
import { schemaViolations, type SchemaResolver } from '@/lib/api/fuzz/schema-check';

/** One broken promise of the API, found by one request. */
export interface Violation {
  /** A short class name for grouping: "5xx", "accepted-invalid", "db-changed", … */
  kind: string;
  detail: string;
}

export interface CaseResult {
  status: number;
  /** The error envelope's message, or the start of a success body. */
  message: string;
  violations: Violation[];
  /** What the server logged while answering (the cause behind a 500). */
  serverLog: string;
}

function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  return Object.entries(after.tables)
    .filter(([table, writes]) => before.tables[table] !== writes)
    .map(
      ([table, writes]) => `${table} (${Number(writes) - Number(before.tables[table] ?? 0)} rows written)`,
    );
}

/**
 * Sends one concrete request to the route handler in-process and checks every promise the API makes about
 * it: no 5xx; a documented status; errors in the one envelope with a code matching the status; successes in
 * the documented media type and schema; a request the document says is invalid refused; and a refused
 * request (or any read) leaves every table and the ledger exactly as they were.
 */
export async function runCase(
  world: Pick<FuzzWorld, 'snapshot' | 'idempotencyStatus'>,
  op: FuzzOperation,
  handler: RouteHandler,
  request: ConcreteRequest,
  resolve: SchemaResolver,
  serverLog: string[],
): Promise<CaseResult> {
  const violations: Violation[] = [];
  const fail = (kind: string, detail: string) => violations.push({ kind, detail });
  const before = await world.snapshot();
  serverLog.length = 0;

  let response: Response;
  try {
    response = await call(handler, request.url, {
      method: request.method,
      params: request.params,
      ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
      headers: request.headers,
      ...(request.session ? { session: request.session } : {}),
      ...(request.bearer ? { bearer: request.bearer } : {}),
    });
  } catch (error) {
    fail('threw', `the handler threw instead of answering: ${String(error)}`);
    return { status: 0, message: String(error), violations, serverLog: serverLog.join('\n') };
  }

  const status = response.status;
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  let text = '';
  if (mediaType === 'text/event-stream') await response.body?.cancel();
  else text = await response.text();
  let json: unknown;
  try {
    json = mediaType === 'application/json' ? JSON.parse(text) : undefined;
  } catch {
    fail('bad-json', `answered ${mediaType} that does not parse: ${preview(text, 120)}`);
  }
  const envelope = errorEnvelopeSchema.safeParse(json);
  const message = envelope.success ? envelope.data.error.message : preview(text, 120);

  const documented = op.responses.get(status);
  // 503 is an answer only where documented (readiness: "not ready, send traffic elsewhere"); any other 5xx fails.
  if (status >= 500 && !(status === 503 && documented)) fail('5xx', `answered ${status}: ${message}`);
  if (!documented)
    fail('undocumented-status', `answered ${status}, documented: ${[...op.responses.keys()].join(', ')}`);

  // Readiness's documented 503 is an answer with its own schema (the failing checks), not an error envelope.
  const documentedUnavailable = status === 503 && documented !== undefined;
  if (status >= 400 && !documentedUnavailable) {
    if (!envelope.success)
      fail('error-shape', `a ${status} without the error envelope: ${preview(text, 160)}`);
    else if (ERROR_STATUS[envelope.data.error.code] !== status)
      fail('error-shape', `error code ${envelope.data.error.code} with status ${status}`);
  } else if ((status >= 200 && status < 300) || documentedUnavailable) {
    if (request.mustRefuse.length > 0 && !documentedUnavailable)
      fail(
        'accepted-invalid',
        `answered ${status} to a request the document refuses: ${request.mustRefuse.slice(0, 3).join('; ')}`,
      );
    const schema = documented?.get(mediaType);
    if (documented && !schema)
      fail(
        'media-type',
        `answered ${mediaType || 'no content type'}, documented: ${[...documented.keys()].join(', ')}`,
      );
    else if (schema && json !== undefined) {
      const wrong = schemaViolations(schema, json, resolve);
      if (wrong.length)
        fail(
          'response-schema',
          `the ${status} body breaks its documented schema: ${wrong.slice(0, 3).join('; ')}`,
        );
    }
  }

  // Only for requests the document accepts: an accepted invalid one is reported above already.
  if (status >= 200 && status < 300 && op.body && request.mustRefuse.length === 0) {
    const lost = roundTripLosses(request.rawBody, json);
    if (lost.length)
      fail('round-trip', `stored text does not come back as sent: ${lost.slice(0, 3).join('; ')}`);
  }

  const after = await world.snapshot();
  const refused = status < 200 || status >= 300;
  if (refused || op.method === 'GET') {
    const changed = diffSnapshots(before, after);
    if (changed.length)
      fail('db-changed', `${refused ? 'a refused request' : 'a read'} changed ${changed.join(', ')}`);
    if (after.ledger !== before.ledger)
      fail('db-changed', `the ledger audit changed: ${before.ledger} → ${after.ledger}`);
    const added = after.idempotencyRows - before.idempotencyRows;
    if (added !== 0) {
      // The one allowed write: a refusal stored as the answer to replay for its Idempotency-Key.
      // Stored under the key the server received: HTTP strips a header value's leading and trailing whitespace.
      const stored =
        request.idempotencyKey === null
          ? undefined
          : await world.idempotencyStatus(request.idempotencyKey.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''));
      if (added !== 1 || stored !== status)
        fail(
          'db-changed',
          `idempotency records changed by ${added} (stored status ${String(stored)}, answered ${status})`,
        );
    }
  } else {
    const audit = JSON.parse(after.ledger) as {
      totals: Record<string, string>;
      drifted: string[];
      unbalanced: string[];
    };
    if (Object.values(audit.totals).some((t) => t !== '0') || audit.drifted.length || audit.unbalanced.length)
      fail('ledger', `the ledger no longer balances: ${after.ledger}`);
  }
  return { status, message, violations, serverLog: serverLog.join('\n') };
}

/**
 * Text a mutation accepted must come back as it was sent (surrounding whitespace aside): the answer of a
 * create or update is read back from the database, so a silently altered or truncated value shows here.
 * Compares the top-level strings and string lists the request and the answer share by name.
 */
function roundTripLosses(rawBody: string | undefined, answer: unknown): string[] {
  let sent: unknown;
  try {
    sent = rawBody ? JSON.parse(rawBody.replace(/^\uFEFF/, '')) : undefined;
  } catch {
    return [];
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(sent) || !isObject(answer)) return [];
  const isText = (v: unknown) =>
    typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  const lost: string[] = [];
  for (const [key, value] of Object.entries(sent)) {
    if (!Object.hasOwn(answer, key) || !isText(value) || !isText(answer[key])) continue;
    const expected = JSON.stringify(value);
    const trimmed = JSON.stringify(typeof value === 'string' ? value.trim() : value);
    const actual = JSON.stringify(answer[key]);
    if (actual !== expected && actual !== trimmed)
      lost.push(`${key}: sent ${preview(expected, 80)}, got ${preview(actual, 80)}`);
  }
  return lost;
}

export function describeFailure(op: FuzzOperation, request: ConcreteRequest, result: CaseResult): string {
  return [
    `${op.id} (${op.method} ${op.path}) answered ${result.status}: ${result.message}`,
    ...result.violations.map((v) => `  [${v.kind}] ${v.detail}`),
    `  request: ${describeRequest(request)}`,
    ...(result.serverLog ? [`  server log: ${preview(result.serverLog, 600)}`] : []),
  ].join('\n');
}
