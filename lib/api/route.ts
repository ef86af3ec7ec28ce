import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { serviceContext, type ServiceContext } from '@/lib/api/context';
import { AppError, validationError, type ErrorEnvelope } from '@/lib/api/errors';
import { withIdempotency } from '@/lib/api/idempotency';
import { assertSameOrigin, readJsonBody } from '@/lib/api/request-guards';
import { assertStorable } from '@/lib/api/text';
import { searchParamsToObject } from '@/lib/api/search-params';
import { resolveApiKey } from '@/lib/auth/api-keys';
import type { ApiKeyScope } from '@/lib/auth/scopes';
import { enforceRateLimit, type RateLimitRule } from '@/lib/auth/rate-limit';
import { SESSION_COOKIE, resolveSession, type Principal } from '@/lib/auth/sessions';
import { clientAddress } from '@/lib/server/client-address';

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface HandlerInput<Q, P, B, A> {
  request: NextRequest;
  query: Q;
  params: P;
  body: B;
  ctx: ServiceContext;
  principal: A;
}

/** public: no identity needed; optional: identity if present; required: 401 without one. */
type AuthMode = 'public' | 'optional' | 'required';
type PrincipalFor<M extends AuthMode> = M extends 'required'
  ? Principal
  : M extends 'optional'
    ? Principal | null
    : null;

interface RouteConfig<Q extends z.ZodObject, P extends z.ZodObject, B extends z.ZodType, M extends AuthMode> {
  query?: Q;
  params?: P;
  /**
   * JSON body schema (strict objects reject unknown keys). An empty body parses as `{}`; without a schema any
   * non-empty body is refused.
   */
  body?: B;
  auth?: M;
  /**
   * The API-key scope a mutation needs (lib/auth/scopes.ts); reads need `read`. A mutation without one cannot
   * be made with an API key at all (a wallet session is needed).
   */
  scope?: ApiKeyScope;
  /** Counted per signed-in account, or per client address for anonymous requests. */
  rateLimit?: RateLimitRule[];
  /** `Idempotency-Key` handling for mutations of a signed-in account: replay, conflict, run once. */
  idempotency?: 'optional' | 'required';
  /**
   * The endpoint never reads the session cookie (agents: node or registration tokens), so a cross-site
   * request carries no ambient authority and the Origin check does not apply.
   */
  cookieless?: boolean;
  /** Largest JSON body accepted; defaults to MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Status of a successful answer; defaults to 200. */
  status?: number;
  /** Cache-Control for successful answers; defaults to no-store. */
  cacheControl?: string;
  /** Returns a JSON-serialisable value, or a Response for anything else (CSV, cookies). */
  handler: (input: HandlerInput<z.infer<Q>, z.infer<P>, z.infer<B>, PrincipalFor<M>>) => Promise<unknown>;
}

export function errorResponse(error: AppError): NextResponse<ErrorEnvelope> {
  const body: ErrorEnvelope = { error: { code: error.code, message: error.message } };
  if (error.fields) body.error.fields = error.fields;
  return NextResponse.json(body, {
    status: error.status,
    headers: { 'Cache-Control': 'no-store', ...error.headers },
  });
}

/** Maps anything thrown to the error envelope; unexpected errors are logged and answered without internals. */
export function toErrorResponse(error: unknown): NextResponse<ErrorEnvelope> {
  if (error instanceof AppError) return errorResponse(error);
  const incident = randomUUID();
  console.error(`[api] unhandled error ${incident}`, error);
  return errorResponse(new AppError('internal', `Something went wrong on our side (incident ${incident}).`));
}

/**
 * The one route-handler wrapper. In order: path and query parsed with zod (unknown keys rejected, offending
 * fields named); identity from a bearer API key or the session cookie; for browser mutations the Origin must be
 * ours and the body JSON; rate limits; the JSON body parsed; then the handler, optionally once per
 * `Idempotency-Key`. Every failure becomes the one error envelope.
 */
export function apiRoute<
  Q extends z.ZodObject = z.ZodObject<z.ZodRawShape>,
  P extends z.ZodObject = z.ZodObject<z.ZodRawShape>,
  B extends z.ZodType = z.ZodUndefined,
  M extends AuthMode = 'public',
>(config: RouteConfig<Q, P, B, M>) {
  const route = async (request: NextRequest, context: RouteContext): Promise<NextResponse> => {
    const started = performance.now();
    const response = await handle(config, request, context);
    // Time spent inside the handler (parsing, database, serialising), for observability and benchmarks.
    response.headers.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(2)}`);
    return response;
  };
  ACCESS.set(route, { auth: config.auth ?? 'public', scope: config.scope ?? null });
  return route;
}

/** Who may call a route: its auth mode and the API-key scope its mutation needs. */
export interface RouteAccess {
  auth: AuthMode;
  scope: ApiKeyScope | null;
}

const ACCESS = new WeakMap<object, RouteAccess>();

/** A route handler's access rules, for the checks that compare every route with the OpenAPI document. */
export function routeAccess(handler: object): RouteAccess | undefined {
  return ACCESS.get(handler);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function handle<Q extends z.ZodObject, P extends z.ZodObject, B extends z.ZodType, M extends AuthMode>(
  config: RouteConfig<Q, P, B, M>,
  request: NextRequest,
  context: RouteContext,
): Promise<NextResponse> {
  try {
    const params = config.params ? parseOr400(config.params, await context.params, 'path') : {};
    const query = config.query
      ? parseOr400(config.query, searchParamsToObject(request.nextUrl.searchParams, config.query), 'query')
      : {};
    if (!config.query && request.nextUrl.search.length > 1)
      throw new AppError('bad_request', 'This endpoint takes no query parameters.', {
        fields: [{ field: 'query', message: 'must be empty' }],
      });
    const ctx = await serviceContext();
    const bearer = bearerToken(request);
    const mutation = !SAFE_METHODS.has(request.method);
    // Browsers send cookies on their own; a mutation that could ride on a cookie must come from our origin.
    if (mutation && bearer === null && !config.cookieless) assertSameOrigin(request, ctx.web.origins);
    const principal = await identify(ctx, request, bearer, config.auth ?? 'public');
    if (principal?.via === 'api_key') assertScope(principal, mutation ? (config.scope ?? null) : 'read');
    for (const rule of config.rateLimit ?? [])
      await enforceRateLimit(
        ctx.db,
        ctx.clock,
        rule,
        principal?.accountId ?? clientAddress(request.headers, ctx.web.trustProxy),
      );
    const rawBody = mutation
      ? await readJsonBody(request, config.body !== undefined, config.maxBodyBytes)
      : undefined;
    // An empty body is `{}` (every field optional); `null`, arrays and scalars are the schema's to refuse.
    const body = config.body
      ? parseOr400(config.body, rawBody === undefined ? {} : rawBody, 'body')
      : undefined;
    const run = async () => {
      const result = await config.handler({
        request,
        query: query as z.infer<Q>,
        params: params as z.infer<P>,
        body: body as z.infer<B>,
        ctx,
        principal: principal as PrincipalFor<M>,
      });
      if (result instanceof Response) return result as NextResponse;
      return NextResponse.json(result, {
        status: config.status ?? 200,
        headers: { 'Cache-Control': config.cacheControl ?? 'no-store' },
      });
    };
    if (!config.idempotency) return await run();
    if (!principal) throw new AppError('unauthorized', 'Sign in or use an API key.');
    return await withIdempotency(ctx.db, {
      accountId: principal.accountId,
      key: request.headers.get('idempotency-key'),
      required: config.idempotency === 'required',
      fingerprint: `${request.method} ${request.nextUrl.pathname} ${JSON.stringify(rawBody ?? null)}`,
      run: async () => {
        try {
          return await run();
        } catch (error) {
          // Expected refusals are part of the answer and are replayed; unexpected failures are not stored.
          if (error instanceof AppError && error.status < 500) return errorResponse(error);
          throw error;
        }
      },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** An API key may do only what its scopes allow; `null`: nothing an API key may do. */
function assertScope(principal: Principal, needed: ApiKeyScope | null): void {
  if (needed === null)
    throw new AppError('forbidden', 'This needs a wallet session in the dashboard; an API key cannot do it.');
  if (!principal.scopes?.includes(needed))
    throw new AppError(
      'forbidden',
      `This API key lacks the "${needed}" scope; create a key with it in the dashboard (Account → API keys).`,
    );
}

function bearerToken(request: NextRequest): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new AppError('unauthorized', 'Authorization must be "Bearer <API key>".');
  return match[1];
}

async function identify(
  ctx: ServiceContext,
  request: NextRequest,
  bearer: string | null,
  mode: AuthMode,
): Promise<Principal | null> {
  if (mode === 'public') return null;
  let principal: Principal | null = null;
  if (bearer !== null) {
    principal = await resolveApiKey(ctx.db, ctx.clock, bearer);
    if (!principal) throw new AppError('unauthorized', 'The API key is unknown or revoked.');
  } else {
    const token = request.cookies.get(SESSION_COOKIE)?.value;
    if (token) principal = await resolveSession(ctx.db, ctx.clock, token);
  }
  if (!principal && mode === 'required')
    throw new AppError('unauthorized', 'Sign in with your wallet, or send an API key as a bearer token.');
  return principal;
}

function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'query' | 'path' | 'body',
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, where);
  // Whatever a schema let through must still be storable text: a 400 naming the field, never a 500.
  assertStorable(result.data, where);
  return result.data;
}
