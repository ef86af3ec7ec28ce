import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { filesConfig } from '@/lib/files/config';
import { completeInputFile } from '@/lib/files/files';

/** The bytes are up: checks them in the store (size and sha256) and makes the input ready for jobs. */
export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  params: uuidParamsSchema,
  body: emptyBodySchema,
  handler: async ({ ctx, principal, params }) =>
    completeInputFile(ctx.db, ctx.clock, ctx.storage, filesConfig(), principal.accountId, params.id),
});
