import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError, validationError, type ErrorEnvelope } from '@/lib/api/errors';
import { searchParamsToObject } from '@/lib/api/search-params';

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface HandlerInput<Q, P> {
  request: NextRequest;
  query: Q;
  params: P;
}

interface RouteConfig<Q extends z.ZodObject, P extends z.ZodObject> {
  query?: Q;
  params?: P;
  /** Cache-Control for successful answers; defaults to no-store. */
  cacheControl?: string;
  handler: (input: HandlerInput<z.infer<Q>, z.infer<P>>) => Promise<unknown>;
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
 * The one route-handler wrapper: parses path and query with zod (unknown keys rejected, offending fields
 * named), runs the handler, answers JSON, and maps every failure to the one error envelope.
 */
export function apiRoute<
  Q extends z.ZodObject = z.ZodObject<z.ZodRawShape>,
  P extends z.ZodObject = z.ZodObject<z.ZodRawShape>,
>(config: RouteConfig<Q, P>) {
  return async (request: NextRequest, context: RouteContext): Promise<NextResponse> => {
    const started = performance.now();
    const response = await handle(config, request, context);
    // Time spent inside the handler (parsing, database, serialising), for observability and benchmarks.
    response.headers.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(2)}`);
    return response;
  };
}

async function handle<Q extends z.ZodObject, P extends z.ZodObject>(
  config: RouteConfig<Q, P>,
  request: NextRequest,
  context: RouteContext,
): Promise<NextResponse> {
  try {
    const params = config.params ? parseOr400(config.params, await context.params, 'path') : {};
    const query = config.query
      ? parseOr400(config.query, searchParamsToObject(request.nextUrl.searchParams, config.query), 'query')
      : {};
    const result = await config.handler({
      request,
      query: query as z.infer<Q>,
      params: params as z.infer<P>,
    });
    return NextResponse.json(result, { headers: { 'Cache-Control': config.cacheControl ?? 'no-store' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}

function parseOr400<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'path'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}
