import { NextResponse } from 'next/server';
import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { filesConfig } from '@/lib/files/config';
import { fileDownloadUrl } from '@/lib/files/files';
import { callerOrigin } from '@/lib/files/transfer';

/** Redirects to a short-lived signed URL for one of your ready files (what a download link points at). */
export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params, request }) => {
    const url = await fileDownloadUrl(
      ctx.db,
      ctx.storage,
      filesConfig(),
      callerOrigin(request, ctx.web.origins),
      principal.accountId,
      params.id,
    );
    return NextResponse.redirect(url, { status: 303, headers: { 'cache-control': 'no-store' } });
  },
});
