import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { filesConfig } from '@/lib/files/config';
import { createInputFile, listFiles } from '@/lib/files/files';
import { createFileRequestSchema, fileListQuerySchema } from '@/lib/files/schemas';
import { callerOrigin } from '@/lib/files/transfer';

export const GET = apiRoute({
  auth: 'required',
  query: fileListQuerySchema,
  handler: async ({ ctx, principal, query }) => listFiles(ctx.db, filesConfig(), principal.accountId, query),
});

/** Starts an input upload: reserves the size against the quota and returns a signed PUT URL. */
export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  body: createFileRequestSchema,
  rateLimit: RATE_LIMITS.uploads,
  status: 201,
  handler: async ({ ctx, principal, body, request }) =>
    createInputFile(
      ctx.db,
      ctx.clock,
      ctx.storage,
      filesConfig(),
      callerOrigin(request, ctx.web.origins),
      principal.accountId,
      body,
    ),
});
