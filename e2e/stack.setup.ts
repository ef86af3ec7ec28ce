import { expect, test as setup } from '@playwright/test';
import { metricsSummarySchema } from '@/lib/metrics/schemas';

/**
 * Runs before every spec: waits until the stack's first start is over — the demo network's simulated
 * history generated and the metric rollups refreshed after it (e2e/first-start.spec.ts then checks it took at
 * most three minutes). While the history is written it has most of the embedded database, and the specs
 * compare pages with the API: they run against a
 * network that has stopped being rebuilt underneath them. The metrics spec also needs the history complete,
 * or its figures would grow between the page and the API.
 */
setup('the simulated history is generated and the metrics refreshed after it', async ({ request }) => {
  setup.setTimeout(600_000);
  await expect
    .poll(
      async () => {
        // A server busy generating the history may not answer in time: that is "not yet", not a failure.
        const response = await request.get('/api/v1/metrics').catch(() => null);
        if (!response?.ok()) return 'no answer';
        const { history, refreshedAt } = metricsSummarySchema.parse(await response.json());
        const state = history?.state ?? 'complete';
        if (state !== 'complete') return `${state} ${Math.round((history?.progress ?? 0) * 100)} %`;
        if (refreshedAt === null) return 'not refreshed yet';
        return history && refreshedAt < history.generatedThrough ? 'refreshing' : 'complete';
      },
      { timeout: 590_000, intervals: [2_000, 5_000] },
    )
    .toBe('complete');
});
