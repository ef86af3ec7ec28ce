import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { getExportFile } from '@/lib/metrics/exports';
import { METRICS_EXPORT_CACHE_CONTROL } from '@/lib/metrics/http';
import { exportDayParamsSchema } from '@/lib/metrics/schemas';

/** One day's raw export, byte for byte as hashed in the manifest. Public; a published day never changes. */
export const GET = apiRoute({
  params: exportDayParamsSchema,
  handler: async ({ ctx, params }) => {
    const file = await getExportFile(ctx.db, params.day);
    if (!file)
      throw new AppError('not_found', `No export for ${params.day} (not closed yet, or no records).`);
    return new Response(file.content, {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `inline; filename="backfill-metrics-${params.day}.json"`,
        'Cache-Control': METRICS_EXPORT_CACHE_CONTROL,
        'X-Content-SHA256': file.sha256,
      },
    });
  },
});
