import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { nodes, offers, verificationChallenges } from '@/lib/db/schema';
import {
  bareAgentEnv,
  registerAgentProcess,
  startOrchestrationLoop,
  until,
  writeNodeSpec,
} from '@/lib/testing/agent-process';
import { useTestServices } from '@/lib/testing/api-harness';
import { createAccount } from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The acceptance test of the GPU proof against the project's own agent: the real CLI, in its own process, on
 * this machine without a GPU, declares an H100 to a marketplace that asks for production-size proofs. Whatever
 * engine it has — the default (python3 is on its PATH, with numpy but neither PyTorch nor CuPy on CUDA) or the
 * development CPU path — it must not end up verified: it answers `unsupported` and is listed as declared.
 * Nothing here depends on a timing margin: the verdict comes from what the agent can run, not how fast.
 */

const previous = vi.hoisted(() => {
  const saved = { interval: process.env.HEARTBEAT_INTERVAL_MS, size: process.env.GPU_PROOF_SIZE };
  process.env.HEARTBEAT_INTERVAL_MS = '500';
  process.env.GPU_PROOF_SIZE = 'production';
  return saved;
});

class WallClock extends ManualClock {
  override now(): Date {
    return new Date();
  }
}

/** The directory of the real python3 (not a version-manager shim), when there is one. */
function pythonDir(): string | null {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return found.status === 0 ? path.dirname(found.stdout.trim()) : null;
}

describe('the project’s agent on a machine without a GPU, declaring an H100', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  let supplier: string;
  let stopLoop: () => void;
  const agents: ChildProcess[] = [];
  const clock = new WallClock(Date.now());
  const work = mkdtempSync(path.join(os.tmpdir(), 'backfill-gpu-proof-e2e-'));
  const specFile = path.join(work, 'h100.json');

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    supplier = await createAccount(handle.db, clock, 'supplier');
    writeNodeSpec(specFile, 'claims-an-h100', 'h100-80gb');
    stopLoop = startOrchestrationLoop(handle.db, clock);
  });
  afterAll(async () => {
    stopLoop();
    for (const child of agents)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server.close();
    await handle.close();
    for (const [name, value] of [
      ['HEARTBEAT_INTERVAL_MS', previous.interval],
      ['GPU_PROOF_SIZE', previous.size],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  async function declaredNotVerified(nodeId: string) {
    const node = await until(async () => {
      const [row] = await handle.db.select().from(nodes).where(eq(nodes.id, nodeId));
      return row?.verificationState === 'declared' ? row : null;
    }, 'the node to be declared');
    expect(node.verificationState).toBe('declared');
    const challenges = await handle.db
      .select()
      .from(verificationChallenges)
      .where(eq(verificationChallenges.nodeId, nodeId));
    expect(challenges.map((c) => c.state)).toEqual(['unsupported']);
    // Production sizes: 8192×2048 rounds, thousands of them for an H100.
    expect(challenges[0]).toMatchObject({ rowsM: 8192, innerK: 2048, claimedModel: 'h100-80gb' });
    expect(challenges[0]?.rounds).toBeGreaterThan(100);
    const [offer] = await handle.db.select().from(offers).where(eq(offers.nodeId, nodeId));
    expect(offer).toMatchObject({ verified: false, declared: true });
    return challenges[0];
  }

  it('with the default engine (python3 without a GPU backend): answers unsupported and is declared', async () => {
    const dir = pythonDir();
    const env = { ...bareAgentEnv, PATH: [bareAgentEnv.PATH, dir].filter(Boolean).join(path.delimiter) };
    const { agent, nodeId } = await registerAgentProcess(
      {
        db: handle.db,
        clock,
        supplier,
        apiUrl: server.url,
        specFile,
        stateDir: path.join(work, 'auto'),
        env,
      },
      agents,
    );
    await agent.waitFor(/benchmark: no GPU proof engine/);
    const challenge = await declaredNotVerified(nodeId);
    expect(challenge?.unsupportedReason).toMatch(/PyTorch|CuPy/);
  });

  it('with the development CPU path: refuses the production-size proof, and is declared', async () => {
    const { agent, nodeId } = await registerAgentProcess(
      {
        db: handle.db,
        clock,
        supplier,
        apiUrl: server.url,
        specFile,
        stateDir: path.join(work, 'cpu'),
        args: ['--benchmark', 'cpu'],
      },
      agents,
    );
    await agent.waitFor(/benchmark: DEVELOPMENT CPU path/);
    const challenge = await declaredNotVerified(nodeId);
    expect(challenge?.unsupportedReason).toMatch(/development-size proofs only/);
  });
});
