import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as heartbeatRoute } from '@/app/api/v1/agent/heartbeat/route';
import { POST as registerRoute } from '@/app/api/v1/agent/register/route';
import { issueRegistrationToken } from '@/lib/agent/register';
import { AGENT_VERSION } from '@/lib/agent/version';
import { provideServiceContext } from '@/lib/api/context';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { nodeRegistrationTokens, nodes } from '@/lib/db/schema';
import { getSupplierNode } from '@/lib/supplier/nodes';
import { call, useTestServices } from '@/lib/testing/api-harness';
import { createAccount, createNode } from '@/lib/testing/orchestration-fixture';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The marketplace's minimum agent version, through the real routes on a real database: this file's
 * configuration requires 0.1.0 (read once, before the first request; each test file has its own).
 */
const MINIMUM = '0.1.0';
process.env.MIN_AGENT_VERSION = MINIMUM;

const registration = (token: string, agentVersion?: string) => ({
  registrationToken: token,
  name: 'lab-box-1',
  region: 'eu-central',
  pricePerGpuHourMicros: '450000',
  gpus: [{ index: 0, model: 'l4-24gb', vramGb: 24, serial: 'GPU-aaaa' }],
  cpuCores: 8,
  ramGb: 32,
  diskGb: 200,
  bandwidthMbps: 1000,
  cudaVersion: '12.4',
  ...(agentVersion === undefined ? {} : { agentVersion }),
});

type ErrorBody = { error: { code: string; message: string; fields?: { field: string }[] } };

describe('the minimum agent version (MIN_AGENT_VERSION)', () => {
  let handle: DatabaseHandle;
  let clock: ManualClock;

  beforeEach(async () => {
    handle = await createPgliteTestDb();
    clock = new ManualClock('2026-12-07T10:00:00Z');
    useTestServices({ db: handle.db, clock, chain: null });
  });
  afterEach(() => handle.close());
  afterAll(() => provideServiceContext(null));

  const register = (body: unknown) =>
    call(registerRoute, '/api/v1/agent/register', { method: 'POST', body, origin: null });

  it('registers the current agent and stores its version on the node', async () => {
    expect(AGENT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const answer = await register(registration(registrationToken, AGENT_VERSION));
    expect(answer.status, await answer.clone().text()).toBe(201);
    const { nodeId } = (await answer.json()) as { nodeId: string };
    const [node] = await handle.db.select().from(nodes).where(eq(nodes.id, nodeId));
    expect(node?.agentVersion).toBe(AGENT_VERSION);
  });

  it.each([
    ['an older release', '0.0.9'],
    ['a prerelease of the minimum', '0.1.0-rc.1'],
    ['no version at all (an agent from before versions were reported)', undefined],
  ])(
    'refuses %s at registration with 426, naming the minimum and the download, token unspent',
    async (_, version) => {
      const supplier = await createAccount(handle.db, clock, 'supplier');
      const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
      const answer = await register(registration(registrationToken, version));
      expect(answer.status).toBe(426);
      const body = (await answer.json()) as ErrorBody;
      expect(body.error.code).toBe('upgrade_required');
      expect(body.error.message).toContain(`requires Backfill agent ${MINIMUM} or newer`);
      expect(body.error.message).toContain('http://localhost:3000/agent/backfill-agent.mjs');
      if (version) expect(body.error.message).toContain(`this agent is ${version}`);
      expect(await handle.db.select().from(nodes)).toEqual([]);
      const [token] = await handle.db.select().from(nodeRegistrationTokens);
      expect(token?.usedAt).toBeNull();
      // Updated, the same token still works.
      expect((await register(registration(registrationToken, MINIMUM))).status).toBe(201);
    },
  );

  it.each(['1.0', 'v0.2.0', '0.2.0 ', 'latest', '01.2.3', '1.2.3\u0000'])(
    'refuses the malformed version %j with a 400 naming the field',
    async (version) => {
      const supplier = await createAccount(handle.db, clock, 'supplier');
      const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
      const answer = await register(registration(registrationToken, version));
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as ErrorBody;
      expect(body.error.fields?.map((f) => f.field)).toEqual(['agentVersion']);
    },
  );

  it('answers an outdated agent’s heartbeat 426, records nothing of it, and shows “update needed”', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const node = await createNode(handle.db, clock, { owner: supplier });
    const beat = (agentVersion?: string) =>
      call(heartbeatRoute, '/api/v1/agent/heartbeat', {
        method: 'POST',
        bearer: node.token,
        body: agentVersion === undefined ? {} : { agentVersion },
      });
    const lastHeartbeat = async () =>
      (await handle.db.select().from(nodes).where(eq(nodes.id, node.id)))[0]?.lastHeartbeatAt?.getTime();

    expect((await beat(MINIMUM)).status).toBe(200);
    const seen = await lastHeartbeat();
    const view = await getSupplierNode(
      handle.db,
      clock,
      { takeRateBp: 1_000, minAgentVersion: MINIMUM },
      supplier,
      node.id,
    );
    expect(view.agent).toEqual({ version: MINIMUM, minimumVersion: MINIMUM, updateNeeded: false });

    // The node's agent is replaced by an older one (a restored backup, say).
    await handle.db.update(nodes).set({ agentVersion: '0.0.5' }).where(eq(nodes.id, node.id));
    clock.advance(5_000);
    for (const version of ['0.0.5', undefined]) {
      const refused = await beat(version);
      expect(refused.status).toBe(426);
      const body = (await refused.json()) as ErrorBody;
      expect(body.error.code).toBe('upgrade_required');
      expect(body.error.message).toMatch(
        /requires Backfill agent 0\.1\.0 or newer.*\/agent\/backfill-agent\.mjs/,
      );
    }
    expect(await lastHeartbeat()).toBe(seen);
    const outdated = await getSupplierNode(
      handle.db,
      clock,
      { takeRateBp: 1_000, minAgentVersion: MINIMUM },
      supplier,
      node.id,
    );
    expect(outdated.agent).toEqual({ version: '0.0.5', minimumVersion: MINIMUM, updateNeeded: true });

    // A malformed version is the protocol's 400, not a version verdict.
    expect((await beat('0.2')).status).toBe(400);
    // Updated: accepted again, and the new version is recorded.
    expect((await beat('0.2.0')).status).toBe(200);
    const [updated] = await handle.db.select().from(nodes).where(eq(nodes.id, node.id));
    expect(updated?.agentVersion).toBe('0.2.0');
  });
});
