import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { prefetchJobsSession } from '@/app/jobs/prefetch';
import { toUrlSearchParams } from '@/app/jobs/search-params';
import { buildJobSpec, initialLaunchForm, type LaunchPrefill } from '@/components/jobs/launch-form';
import { LaunchWizard } from '@/components/jobs/launch-wizard';
import type { PinnedNode } from '@/components/jobs/step-hardware';
import { quoteJob } from '@/lib/jobs/quote';
import { quoteRequestSchema } from '@/lib/jobs/schemas';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';
import { queryKeys } from '@/lib/queries/keys';

export const metadata: Metadata = { title: 'Launch a job' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a link may prefill (`?template=&nodeId=&gpuModel=&gpuCount=&region=`, as "Launch on this node"
 * sends). Unknown values are dropped rather than refused: the wizard starts from its defaults instead.
 */
function readPrefill(params: URLSearchParams): LaunchPrefill {
  const prefill: LaunchPrefill = {};
  const template = JOB_TEMPLATES.find((t) => t.id === params.get('template'));
  if (template) prefill.template = template.id;
  const nodeId = params.get('nodeId');
  if (nodeId && UUID.test(nodeId)) prefill.nodeId = nodeId.toLowerCase();
  const gpuModel = GPU_MODEL_IDS.find((id) => id === params.get('gpuModel'));
  if (gpuModel) prefill.gpuModel = gpuModel;
  const gpuCount = Number(params.get('gpuCount'));
  if (Number.isInteger(gpuCount) && gpuCount >= 1 && gpuCount <= 8) prefill.gpuCount = gpuCount;
  const region = REGION_IDS.find((id) => id === params.get('region'));
  if (region) prefill.region = region;
  return prefill;
}

export default async function NewJobPage({ searchParams }: { searchParams: SearchParams }) {
  const prefill = readPrefill(toUrlSearchParams(await searchParams));
  const { queryClient, ctx, accountId } = await prefetchJobsSession();
  let pinned: PinnedNode | null = null;
  if (prefill.nodeId) {
    const node = await getNodeDetail(ctx.db, ctx.clock, prefill.nodeId).catch(() => null);
    if (node) {
      pinned = {
        id: node.id,
        name: node.name,
        summary: `${node.hardware.gpuCount}× ${node.hardware.gpuName} in ${node.regionName}`,
      };
    } else {
      // A pin to a node that does not exist could never run; start unpinned instead.
      delete prefill.nodeId;
    }
  }
  // The first quote, for the form the wizard opens with, under the key its quote hook asks for.
  const request = buildJobSpec(initialLaunchForm(prefill)).quote;
  const parsed = request ? quoteRequestSchema.safeParse(request) : null;
  if (request && parsed?.success) {
    const quote = await quoteJob(ctx.db, accountId, parsed.data).catch(() => null);
    if (quote) queryClient.setQueryData(queryKeys.account.quote(request), quote);
  }
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Launch a job</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Describe the work, choose the hardware and a budget cap. The quote on the side follows every change:
          what matches now, how long it should take and what it should cost.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <LaunchWizard prefill={prefill} pinned={pinned} />
      </HydrationBoundary>
    </div>
  );
}
