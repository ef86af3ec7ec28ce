import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { applyJobEvents, emptyLiveState } from '@/components/jobs/job-events';
import { JobMonitor } from '@/components/jobs/job-monitor';
import { JobsView } from '@/components/jobs/jobs-view';
import { buildJobSpec, initialLaunchForm } from '@/components/jobs/launch-form';
import { LaunchWizard } from '@/components/jobs/launch-wizard';
import type { AttemptView, JobDetailView, JobEventView } from '@/lib/jobs/schemas';
import type { Quote } from '@/lib/queries/jobs';
import { queryKeys } from '@/lib/queries/keys';

vi.mock('next/navigation', () => ({
  useRouter: () => ({ push: () => undefined }),
  useSearchParams: () => new URLSearchParams('state=active'),
}));

const JOB_ID = '00000000-0000-4000-8000-000000000009';
const NODE_ID = '00000000-0000-4000-8000-00000000000b';
const AT = '2026-01-01T12:00:00.000Z';

function attempt(patch: Partial<AttemptView> = {}): AttemptView {
  return {
    id: '00000000-0000-4000-8000-00000000000a',
    number: 1,
    nodeId: NODE_ID,
    nodeName: 'node-7',
    region: 'eu-west',
    gpuModel: 'h100-80gb',
    gpuIndexes: [0],
    gpuSerials: ['SN-0001'],
    state: 'running',
    endReason: null,
    pricePerGpuHourMicros: '2250000',
    meteredMs: 60_000,
    pendingMs: 5_000,
    forfeitedMs: 0,
    chargedMicros: '37500',
    supplierMicros: '33750',
    feeMicros: '3750',
    assignedAt: AT,
    runningAt: AT,
    endedAt: null,
    suspectAt: null,
    ...patch,
  };
}

function job(patch: Partial<JobDetailView> = {}): JobDetailView {
  const current = attempt();
  return {
    id: JOB_ID,
    name: 'City flyover',
    template: 'render',
    unit: 'frames',
    image: 'linuxserver/blender:4.2.3',
    command: ['blender', '-b', 'scene.blend'],
    envKeys: [],
    inputs: [],
    outputs: [],
    requirements: {
      gpuModels: [],
      gpuCount: 1,
      minVramGb: 16,
      region: null,
      maxPricePerGpuHourMicros: null,
      nodeId: null,
    },
    budgetMicros: '5000000',
    workUnits: 20,
    specHash: 'a'.repeat(64),
    state: 'running',
    stateReason: null,
    progressUnits: 5,
    checkpointUnits: 4,
    progress: 0.25,
    etaSeconds: 300,
    chargedMicros: '37500',
    releasedMicros: '0',
    heldMicros: '4962500',
    pendingChargeMicros: '3125',
    burnMicrosPerHour: '2250000',
    attemptCount: 1,
    simulated: false,
    suspect: null,
    rerunOfJobId: null,
    currentAttempt: current,
    queuedAt: AT,
    startedAt: AT,
    finishedAt: null,
    createdAt: AT,
    updatedAt: AT,
    attempts: [current],
    receiptAvailable: false,
    ...patch,
  };
}

function event(id: number, type: JobEventView['type'], data: Record<string, unknown>): JobEventView {
  return { id, jobId: JOB_ID, type, data, createdAt: AT };
}

/** A cache as the server pages fill it: signed in, plus whatever the test adds. */
function render(node: ReactNode, fill: (client: QueryClient) => void): string {
  const client = new QueryClient();
  client.setQueryData(queryKeys.session, {
    account: { id: 'acc', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
    expiresAt: null,
  });
  fill(client);
  // React separates adjacent text with comments; they are not what a reader sees.
  return renderToString(<QueryClientProvider client={client}>{node}</QueryClientProvider>).replaceAll(
    '<!-- -->',
    '',
  );
}

describe('server rendering from the prefetched cache', () => {
  it('the monitor shows the job, its cost, attempts, logs and telemetry on the first paint', () => {
    const html = render(<JobMonitor jobId={JOB_ID} demo />, (client) => {
      client.setQueryData(queryKeys.account.simulationAccess, { simulated: true, operator: true });
      client.setQueryData(queryKeys.account.jobs.detail(JOB_ID), job());
      client.setQueryData(
        queryKeys.account.jobs.live(JOB_ID),
        applyJobEvents(emptyLiveState(), [
          event(1, 'queued', {}),
          event(2, 'log', { attempt: 1, lines: [{ at: AT, stream: 'stderr', text: 'warming up' }] }),
          event(3, 'telemetry', {
            attempt: 1,
            nodeId: NODE_ID,
            gpus: [{ index: 0, utilizationPct: 97, memoryUsedMb: 20_480, temperatureC: 71, powerW: 650 }],
          }),
        ]),
      );
    });
    expect(html).toContain('<h1 class="text-2xl font-semibold tracking-tight break-words">City flyover</h1>');
    expect(html).toContain('About 5 m 00 s left');
    // Money in cents, and exactly only below a cent (lib/money.ts formatMoney): $0.0375 charged, of which the
    // supplier's $0.03375 and the fee's $0.00375.
    expect(html).toContain('>$0.04<');
    expect(html).toContain('supplier $0.03 · fee $0.00375');
    expect(html).toContain('[stderr] warming up');
    expect(html).toContain('20,480 MB');
    expect(html).toContain('Simulate host failure');
    expect(html).toContain('Cancel job');
  });

  it('offers the demo’s failure switch to its operators only, behind a confirmation (probe class 8)', () => {
    const monitor = (operator: boolean | null) =>
      render(<JobMonitor jobId={JOB_ID} demo />, (client) => {
        if (operator !== null)
          client.setQueryData(queryKeys.account.simulationAccess, { simulated: true, operator });
        client.setQueryData(queryKeys.account.jobs.detail(JOB_ID), job());
        client.setQueryData(queryKeys.account.jobs.live(JOB_ID), emptyLiveState());
      });
    const operator = monitor(true);
    expect(operator).toContain('Simulate host failure');
    expect(operator).toContain('aria-haspopup="dialog"');
    // The switch only opens the question; taking the host down is the dialog's own, separate button.
    expect(operator).toContain('Take down node-7?');
    expect(operator).toContain('Yes, take the host down');
    expect(operator).toContain('Keep it running');
    for (const html of [monitor(false), monitor(null)]) {
      expect(html).not.toContain('Simulate host failure');
      expect(html).not.toContain('Take down node-7?');
      expect(html).toContain('Cancel job');
    }
  });

  it('a finished job offers its receipt and no cancel', () => {
    const html = render(<JobMonitor jobId={JOB_ID} demo={false} />, (client) => {
      client.setQueryData(
        queryKeys.account.jobs.detail(JOB_ID),
        job({
          state: 'succeeded',
          currentAttempt: null,
          receiptAvailable: true,
          attempts: [attempt({ state: 'completed' })],
        }),
      );
      client.setQueryData(queryKeys.account.jobs.live(JOB_ID), { ...emptyLiveState(), terminal: true });
    });
    expect(html).toContain('Download receipt (JSON)');
    expect(html).toContain('Finished');
    expect(html).not.toContain('Cancel job');
    expect(html).not.toContain('Simulate host failure');
  });

  it('the job list renders the first page with its state and cost', () => {
    const html = render(<JobsView />, (client) => {
      client.setQueryData(queryKeys.account.jobs.list({ state: 'active' }), {
        pages: [{ items: [job({ simulated: true })], nextCursor: 'next' }],
        pageParams: [null],
      });
    });
    expect(html).toContain('City flyover');
    expect(html).toContain('Simulated');
    expect(html).toContain('$0.04<span class="text-muted-foreground"> / $5.00</span>');
    expect(html).toContain('Load more');
  });

  it('the wizard opens with the pin and the quote the server asked for', () => {
    const prefill = { nodeId: NODE_ID };
    const request = buildJobSpec(initialLaunchForm(prefill)).quote;
    const quote: Quote = { unit: 'tokens', matchingOffers: 3, options: [], estimate: null, runway: null };
    const html = render(
      <LaunchWizard prefill={prefill} pinned={{ id: NODE_ID, name: 'node-7', summary: '1× H100' }} />,
      (client) => client.setQueryData(queryKeys.account.quote(request), quote),
    );
    expect(html).toContain('Step 1 of 4: Template');
    expect(html).toContain('Quote for the job as it stands.');
    expect(html).toContain('can run it now');
  });
});
