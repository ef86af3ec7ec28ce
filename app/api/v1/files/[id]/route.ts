import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { filesConfig } from '@/lib/files/config';
import { deleteFile, getFileDetail } from '@/lib/files/files';
import { callerOrigin } from '@/lib/files/transfer';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params, request }) =>
    getFileDetail(
      ctx.db,
      ctx.storage,
      filesConfig(),
      callerOrigin(request, ctx.web.origins),
      principal.accountId,
      params.id,
    ),
});

export const DELETE = apiRoute({
  auth: 'required',
  scope: 'jobs',
  params: uuidParamsSchema,
  body: emptyBodySchema,
  handler: async ({ ctx, principal, params }) => {
    await deleteFile(ctx.db, ctx.storage, principal.accountId, params.id);
    return { deleted: true };
  },
});
