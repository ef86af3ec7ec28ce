import { apiRoute } from '@/lib/api/route';
import { EXPORT_FORMAT } from '@/lib/metrics/export-format';
import { getExportManifest } from '@/lib/metrics/exports';
import { METRICS_CACHE_CONTROL } from '@/lib/metrics/http';
import type { ExportManifest } from '@/lib/metrics/schemas';
import { receiptSigner } from '@/lib/receipts/signer';

/** The manifest of the daily raw exports: every closed day with its hash, chain hash and signature. Public. */
export const GET = apiRoute({
  cacheControl: METRICS_CACHE_CONTROL,
  handler: async ({ ctx }): Promise<ExportManifest> => ({
    format: EXPORT_FORMAT,
    signer: receiptSigner().address,
    simulated: ctx.simulated,
    days: await getExportManifest(ctx.db),
  }),
});
