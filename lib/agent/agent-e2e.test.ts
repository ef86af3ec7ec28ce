import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueRegistrationToken } from '@/lib/agent/register';
import { createApiKey } from '@/lib/auth/api-keys';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import {
  jobAttempts,
  jobEvents,
  jobs,
  ledgerAccounts,
  ledgerPostings,
  ledgerTransactions,
  nodes,
  storedFiles,
} from '@/lib/db/schema';
import { attemptCostMicros } from '@/lib/jobs/lifecycle';
import type { ServiceContext } from '@/lib/api/context';
import {
  bareAgentEnv,
  registerAgentProcess,
  startAgentProcess,
  writeNodeSpec,
  startOrchestrationLoop,
  until,
  type AgentProcess,
} from '@/lib/testing/agent-process';
import { useTestServices } from '@/lib/testing/api-harness';
import { createAccount, createCustomer } from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The acceptance test of the node agent: the real CLI (scripts/agent.ts, run by tsx in its own process,
 * process runner) registers with a one-time token against the real API routes served over HTTP, receives a
 * job whose command is scripts/agent-demo-workload.mjs, runs it, and the job ends succeeded and charged.
 * Everything runs in real time here (separate processes), so the server's clock is the wall clock and the
 * heartbeat interval is short.
 */

const previousInterval = vi.hoisted(() => {
  const previous = process.env.HEARTBEAT_INTERVAL_MS;
  process.env.HEARTBEAT_INTERVAL_MS = '500';
  return previous;
});

/** The server's clock follows real time: the agent is a real process. */
class WallClock extends ManualClock {
  override now(): Date {
    return new Date();
  }
}

const workloadScript = path.join(process.cwd(), 'scripts', 'agent-demo-workload.mjs');
const agents: ChildProcess[] = [];
const startAgent = (args: string[]): AgentProcess => startAgentProcess(args, agents);

describe('node agent CLI, end to end', () => {
  let handle: DatabaseHandle;
  let services: ServiceContext;
  let server: RouteServer;
  let supplier: string;
  let stopLoop: () => void;
  const clock = new WallClock(Date.now());
  const work = mkdtempSync(path.join(os.tmpdir(), 'backfill-agent-e2e-'));
  const specFile = path.join(work, 'node.json');

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    services = useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    supplier = await createAccount(handle.db, clock, 'supplier');
    writeNodeSpec(specFile, 'e2e-box');
    stopLoop = startOrchestrationLoop(handle.db, clock);
  });

  afterAll(async () => {
    stopLoop();
    for (const child of agents)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server.close();
    await handle.close();
    if (previousInterval === undefined) delete process.env.HEARTBEAT_INTERVAL_MS;
    else process.env.HEARTBEAT_INTERVAL_MS = previousInterval;
  });

  /** The real agent, registered with a fresh one-time token (process runner, the spec file's GPUs). */
  const registerAgent = (stateDir: string) =>
    registerAgentProcess({ db: handle.db, clock, supplier, apiUrl: server.url, specFile, stateDir }, agents);

  /** A new customer launches a custom job through the public API with an API key. */
  async function launchThroughApi(
    spec: Record<string, unknown>,
  ): Promise<{ jobId: string; customer: string }> {
    const customer = await createCustomer(handle.db, clock, 50n);
    const { key } = await createApiKey(handle.db, clock, customer, 'e2e');
    const response = await fetch(`${server.url}/api/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': `agent-e2e-${customer}`,
      },
      body: JSON.stringify({ template: 'custom', image: 'node:20-alpine', budgetMicros: '5000000', ...spec }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    return { jobId: id, customer };
  }

  /** The stored checkpoint files of a job, and the bytes the marketplace holds of each. */
  async function checkpointsOf(jobId: string) {
    const rows = await handle.db
      .select()
      .from(storedFiles)
      .where(and(eq(storedFiles.jobId, jobId), eq(storedFiles.kind, 'checkpoint')));
    return Promise.all(
      rows.map(async (row) => {
        const object = await services.storage.get(row.storageKey);
        const chunks: Buffer[] = [];
        for await (const chunk of object.body) chunks.push(chunk as Buffer);
        return { ...row, text: Buffer.concat(chunks).toString('utf8') };
      }),
    );
  }

  /** The job, once it has reached a final state. */
  function finishedJob(jobId: string) {
    return until(async () => {
      const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
      return row && ['succeeded', 'failed', 'cancelled', 'out_of_budget'].includes(row.state) ? row : null;
    }, 'the job to finish');
  }

  it('refuses to start without nvidia-smi and without a spec file', async () => {
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const agent = startAgent([
      '--api',
      server.url,
      '--token',
      registrationToken,
      '--runner',
      'process',
      '--state-dir',
      path.join(work, 'refused'),
    ]);
    expect(await agent.exited).toBe(2);
    expect(agent.output.join('\n')).toMatch(/nvidia-smi was not found.*Refusing to start/);
    // Nothing reached the server, and the token is still unused.
    expect(server.requests.filter((r) => r.path === '/api/v1/agent/register')).toEqual([]);
  });

  it('refuses bad flags and a bad registration token with clear messages', async () => {
    const flags = startAgent(['--runner', 'podman']);
    expect(await flags.exited).toBe(2);
    expect(flags.output.join('\n')).toMatch(/--runner must be "docker" or "process"/);

    const agent = startAgent([
      '--api',
      server.url,
      '--token',
      'bfr_this-token-was-never-issued',
      '--spec',
      specFile,
      '--runner',
      'process',
      '--state-dir',
      path.join(work, 'bad-token'),
    ]);
    expect(await agent.exited).toBe(2);
    expect(agent.output.join('\n')).toMatch(/registration was refused \(401 unauthorized\)/);
  });

  it('registers, runs a job through the stdout protocol, succeeds and is charged; restarts reuse the node token', async () => {
    const stateDir = path.join(work, 'state');
    const { agent, nodeId } = await registerAgent(stateDir);
    await agent.waitFor(/heartbeating with the process runner/);
    const saved = JSON.parse(readFileSync(path.join(stateDir, 'node.json'), 'utf8')) as { nodeToken: string };
    expect(saved.nodeToken).toMatch(/^bfn_/);
    expect(statSync(path.join(stateDir, 'node.json')).mode & 0o777).toBe(0o600);
    await until(
      async () => (await handle.db.select().from(nodes).where(eq(nodes.id, nodeId)))[0]?.lastHeartbeatAt,
      'the first heartbeat',
    );

    // A customer launches a job on this node through the public API with an API key.
    const { jobId } = await launchThroughApi({
      name: 'agent e2e',
      command: [process.execPath, workloadScript],
      env: { BACKFILL_DEMO_UNITS_PER_SECOND: '40', BACKFILL_DEMO_CHECKPOINT_EVERY: '40' },
      workUnits: 120,
      requirements: { gpuCount: 1, nodeId },
    });
    const finished = await finishedJob(jobId);
    expect(finished.state).toBe('succeeded');
    expect(finished.progressUnits).toBe(120);
    expect(finished.checkpointUnits).toBe(120);
    expect(finished.chargedMicros).toBeGreaterThan(0n);
    const attempts = await handle.db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId));
    expect(attempts.map((a) => a.state)).toEqual(['completed']);
    const logs = await handle.db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.type, 'log')));
    const text = logs.flatMap((e) => (e.data.lines as { text: string }[]).map((l) => l.text)).join('\n');
    expect(text).toContain(`demo workload for job ${jobId}`);
    expect(text).not.toContain('BACKFILL_PROGRESS');
    // The workload saved its checkpoints where the agent told it to, and the agent uploaded them: the job's
    // checkpoint is the file it wrote last, as the marketplace holds it (older ones are deleted once superseded).
    expect(text).toContain('checkpoint checkpoint-120.json (120 units) uploaded and kept');
    const kept = await checkpointsOf(jobId);
    expect(kept.map((f) => [f.id, f.name, f.state, f.checkpointUnits])).toEqual([
      [finished.checkpointRef, 'checkpoint-120.json', 'ready', 120],
    ]);
    expect(JSON.parse(kept[0]?.text ?? '')).toMatchObject({ units: 120 });
    // The lease's directory on the node is gone once the lease is over.
    const leasesDir = path.join(stateDir, 'leases');
    await until(async () => !existsSync(path.join(leasesDir, attempts[0]?.id ?? '')), 'the lease cleanup');

    // Ctrl-C with nothing running stops at once.
    agent.child.kill('SIGINT');
    expect(await agent.exited).toBe(0);

    // A restart needs no token: it reuses node.json.
    const again = startAgent(['--spec', specFile, '--runner', 'process', '--state-dir', stateDir]);
    await again.waitFor(new RegExp(`node ${nodeId} at ${server.url.replace(/[.]/g, '\\.')}`));
    const beatsBefore = server.requests.filter(
      (r) => r.path === '/api/v1/agent/heartbeat' && r.status === 200,
    ).length;
    await until(
      async () =>
        server.requests.filter((r) => r.path === '/api/v1/agent/heartbeat' && r.status === 200).length >
        beatsBefore,
      'a heartbeat after the restart',
    );

    // The node's token is replaced on the server: the agent stops with a clear message.
    await handle.db.update(nodes).set({ tokenHash: 'rotated' }).where(eq(nodes.id, nodeId));
    expect(await again.exited).toBe(1);
    expect(again.output.join('\n')).toMatch(/refused this node's token \(401/);
  });

  it('runs a workload that prints NUL bytes and invalid UTF-8 to completion, metered exactly (probe class 1)', async () => {
    // A workload whose output no database can store as it is: NUL bytes, bytes that are not UTF-8, a line of
    // emoji long enough to be cut in the middle of a character, and a checkpoint reference holding a NUL.
    const script = path.join(work, 'hostile-output.mjs');
    writeFileSync(
      script,
      [
        "import { writeFileSync } from 'node:fs';",
        'const out = (text) => process.stdout.write(text);',
        "out('before\\u0000after\\n');",
        'process.stdout.write(Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x00, 0x0a]));',
        'process.stderr.write(Buffer.from([0xc3, 0x28, 0x00, 0x0a]));',
        "out('x' + '\\u{1F600}'.repeat(2500) + '\\n');",
        "out('BACKFILL_CHECKPOINT 10 ref\\u0000with-nul\\n');",
        'let units = 0;',
        'const timer = setInterval(() => {',
        '  units += 10;',
        '  out(`BACKFILL_PROGRESS ${units}\\n`);',
        '  out(`tick ${units}\\u0000\\n`);',
        '  if (units >= 60) {',
        '    clearInterval(timer);',
        '    writeFileSync(`${process.env.BACKFILL_CHECKPOINT_DIR}/final-${units}`, `saved ${units}\\u0000`);',
        '    out(`BACKFILL_CHECKPOINT ${units} final-${units}\\n`);',
        '  }',
        '}, 250);',
      ].join('\n'),
    );
    /** Requests before this test's (earlier tests' agents ended with refused tokens on purpose). */
    const earlier = server.requests.length;
    const { agent, nodeId } = await registerAgent(path.join(work, 'hostile'));
    const { jobId, customer } = await launchThroughApi({
      name: 'hostile output',
      command: [process.execPath, script],
      workUnits: 60,
      requirements: { gpuCount: 1, nodeId },
    });
    const finished = await finishedJob(jobId);
    expect(finished.state).toBe('succeeded');
    expect(finished.progressUnits).toBe(60);
    // The checkpoint with a NUL in its name was never uploaded; the valid one was, bytes (NUL included) as written.
    const kept = await checkpointsOf(jobId);
    expect(kept.map((f) => [f.id, f.name, f.checkpointUnits, f.text])).toEqual([
      [finished.checkpointRef, 'final-60', 60, 'saved 60\u0000'],
    ]);

    // Every heartbeat and upload request of this node was accepted: nothing was refused, nothing failed.
    const beats = server.requests.slice(earlier).filter((r) => r.path === '/api/v1/agent/heartbeat');
    expect(beats.length).toBeGreaterThan(3);
    expect(beats.filter((r) => r.status !== 200)).toEqual([]);
    const uploads = server.requests
      .slice(earlier)
      .filter((r) => r.path.startsWith('/api/v1/agent/uploads') || r.path.startsWith('/api/v1/storage/'));
    expect(uploads.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PUT 201', 'POST 200']);

    // The output is stored, with what could not be stored made visible as U+FFFD.
    const logs = await handle.db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.type, 'log')));
    const lines = logs.flatMap((e) => (e.data.lines as { text: string }[]).map((l) => l.text));
    expect(lines).toContain('before\uFFFDafter');
    expect(lines).toContain('bad\uFFFD\uFFFD\uFFFD');
    expect(lines).toContain('\uFFFD(\uFFFD');
    expect(lines).toContain('tick 60\uFFFD');
    // Cut at 4,000 UTF-16 units, in the middle of an emoji: the half left over is shown as U+FFFD.
    expect(lines).toContain(`x${'\u{1F600}'.repeat(1999)}\uFFFD`);
    expect(lines.join('')).not.toMatch(/\u0000/);

    // Metered exactly: the charge is the heartbeat-backed time from the first report to the last, at the
    // node's price, and the ledger moved exactly that from the customer.
    const [attempt] = await handle.db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId));
    if (!attempt?.runningAt || !attempt.endedAt) throw new Error('the attempt never ran');
    expect(attempt.state).toBe('completed');
    expect(attempt.pendingMs).toBe(0);
    expect(attempt.meteredMs).toBe(attempt.endedAt.getTime() - attempt.runningAt.getTime());
    expect(attempt.chargedMicros).toBe(attemptCostMicros(attempt, 1));
    expect(attempt.chargedMicros).toBeGreaterThan(0n);
    expect(finished.chargedMicros).toBe(attempt.chargedMicros);
    const captured = await handle.db
      .select({ amount: ledgerPostings.amountMicros })
      .from(ledgerPostings)
      .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerPostings.transactionId))
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
      .where(
        and(
          eq(ledgerAccounts.ownerAccountId, customer),
          eq(ledgerAccounts.kind, 'customer_reserved'),
          eq(ledgerTransactions.kind, 'capture'),
        ),
      );
    expect(captured.reduce((sum, p) => sum + p.amount, 0n)).toBe(-attempt.chargedMicros);

    agent.child.kill('SIGINT');
    expect(await agent.exited).toBe(0);
  });
});

describe('demo workload', () => {
  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, [workloadScript], {
      env: { ...bareAgentEnv, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, out, err })),
    );
  }

  it('resumes from the checkpoint file named by BACKFILL_RESUME_REF and writes each checkpoint whole before announcing it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-workload-'));
    // What the agent downloaded before starting it: the kept checkpoint, under its name.
    writeFileSync(path.join(dir, 'checkpoint-100.json'), JSON.stringify({ units: 100 }));
    const { code, out } = await run({
      BACKFILL_WORK_UNITS: '120',
      BACKFILL_RESUME_UNITS: '100',
      BACKFILL_RESUME_REF: 'checkpoint-100.json',
      BACKFILL_CHECKPOINT_DIR: dir,
      BACKFILL_DEMO_UNITS_PER_SECOND: '100',
    });
    expect(code).toBe(0);
    const progress = [...out.matchAll(/^BACKFILL_PROGRESS (\d+)$/gm)].map((m) => Number(m[1]));
    expect(progress[0]).toBeGreaterThan(100);
    expect(progress.at(-1)).toBe(120);
    expect(out).toMatch(/resuming from 100 units \(checkpoint checkpoint-100\.json\)/);
    expect(out).toMatch(/^BACKFILL_CHECKPOINT 120 checkpoint-120\.json$/m);
    // Every announced checkpoint is a complete file under its name; no temporary file is left behind.
    const announced = [...out.matchAll(/^BACKFILL_CHECKPOINT (\d+) (\S+)$/gm)];
    expect(announced.length).toBeGreaterThan(0);
    for (const [, units, name] of announced)
      expect(JSON.parse(readFileSync(path.join(dir, name ?? ''), 'utf8'))).toMatchObject({
        units: Number(units),
      });
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('resumes from the units saved in the checkpoint, and refuses a checkpoint it cannot read', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-workload-'));
    writeFileSync(path.join(dir, 'checkpoint-90.json'), JSON.stringify({ units: 90 }));
    const resumed = await run({
      BACKFILL_WORK_UNITS: '100',
      BACKFILL_RESUME_REF: 'checkpoint-90.json',
      BACKFILL_CHECKPOINT_DIR: dir,
      BACKFILL_DEMO_UNITS_PER_SECOND: '100',
    });
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/resuming from 90 units/);
    expect(resumed.out).toMatch(/^BACKFILL_PROGRESS 100$/m);

    const missing = await run({
      BACKFILL_WORK_UNITS: '100',
      BACKFILL_RESUME_UNITS: '50',
      BACKFILL_RESUME_REF: 'checkpoint-50.json',
      BACKFILL_CHECKPOINT_DIR: dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the checkpoint .*checkpoint-50\.json/);
    expect(missing.out).not.toMatch(/BACKFILL_PROGRESS/);
  });
});
