import { describe, expect, it } from 'vitest';
import type { WorkloadExit, WorkloadSink } from '@/lib/agent/runtime';
import type { Assignment } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import { hiddenProfile, skipsAssignment } from '@/simulator/sim/profile';
import {
  createVirtualRunner,
  knownAnswerJob,
  virtualRate,
  type VirtualRunnerOptions,
} from '@/simulator/sim/virtual-runner';
import { expectedUnitsPerHour } from '@/lib/jobs/templates';
import { KNOWN_ANSWER_PROGRAM, laneAnswer } from '@/lib/verification/known-answer';

function assignment(overrides: Partial<Assignment> = {}): Assignment {
  return {
    attemptId: '6a4c1d2e-0000-4000-8000-000000000002',
    jobId: '6a4c1d2e-0000-4000-8000-000000000001',
    fencingToken: 1,
    template: 'render',
    image: 'linuxserver/blender:4.2.3',
    command: ['blender'],
    env: {},
    gpuIndexes: [0],
    workUnits: 10,
    inputs: [],
    resumeFrom: { units: 0, ref: null, checkpoint: null },
    ...overrides,
  };
}

function recorder() {
  const seen = {
    progress: [] as number[],
    checkpoints: [] as [number, string][],
    logs: [] as string[],
    results: [] as string[],
    exit: null as WorkloadExit | null,
  };
  const sink: WorkloadSink = {
    progress: (units) => seen.progress.push(units),
    checkpoint: (units, ref) => seen.checkpoints.push([units, ref]),
    result: (digest) => seen.results.push(digest),
    log: (_stream, text) => seen.logs.push(text),
    exit: (result) => (seen.exit = result),
  };
  return { seen, sink };
}

describe('virtual runner', () => {
  const options = { gpuModel: 'rtx-4090-24gb', performanceFactor: 0.95 };

  it('works at the template rate on the model × the node’s performance factor', () => {
    const rate = virtualRate(assignment({ template: 'lora_finetune', gpuIndexes: [0, 1] }), {
      ...options,
      clock: new ManualClock(0),
    });
    expect(rate * 3_600_000).toBeCloseTo(expectedUnitsPerHour('lora_finetune', 'rtx-4090-24gb', 2) * 0.95, 6);
  });

  it('progresses with the clock, checkpoints every 20 s of work, and exits 0 when done', () => {
    const clock = new ManualClock('2026-11-10T06:00:00Z');
    const runner = createVirtualRunner({ ...options, clock });
    const a = assignment();
    const perMs = virtualRate(a, { ...options, clock });
    const workUnits = Math.round(perMs * 70_000);
    const { seen, sink } = recorder();
    const workload = runner.start({ ...a, workUnits }, sink);
    expect(seen.logs.length).toBeGreaterThan(0);

    clock.advance(10_000);
    workload.poll?.();
    expect(seen.progress.at(-1)).toBe(Math.floor(perMs * 10_000));
    expect(seen.checkpoints).toEqual([]);

    clock.advance(15_000);
    workload.poll?.();
    expect(seen.checkpoints).toEqual([
      [Math.floor(perMs * 20_000), `sim://${a.jobId}/ckpt-${Math.floor(perMs * 20_000)}`],
    ]);

    clock.advance(60_000);
    workload.poll?.();
    expect(seen.progress.at(-1)).toBe(workUnits);
    expect(seen.exit).toEqual({ exitCode: 0 });
    const polls = seen.progress.length;
    workload.poll?.();
    expect(seen.progress.length).toBe(polls);
  });

  it('resumes from the assignment’s checkpoint', () => {
    const clock = new ManualClock(0);
    const runner = createVirtualRunner({ ...options, clock });
    const { seen, sink } = recorder();
    const workload = runner.start(
      assignment({ workUnits: 400, resumeFrom: { units: 300, ref: 'sim://x/ckpt-300', checkpoint: null } }),
      sink,
    );
    clock.advance(1_000);
    workload.poll?.();
    expect(seen.progress.at(-1)).toBeGreaterThanOrEqual(300);
    expect(seen.logs.join('\n')).toContain('resuming from checkpoint sim://x/ckpt-300 at 300 frames');
  });

  it('stops reporting once stopped', async () => {
    const clock = new ManualClock(0);
    const { seen, sink } = recorder();
    const workload = createVirtualRunner({ ...options, clock }).start(assignment(), sink);
    await workload.stop();
    clock.advance(3_600_000);
    workload.poll?.();
    expect(seen.progress).toEqual([]);
    expect(seen.exit).toBeNull();
  });
});

describe('canaries on the virtual runner', () => {
  const options = { gpuModel: 'rtx-4090-24gb', performanceFactor: 0.95 };
  const seed = '9f86d081884c7d65';
  const steps = 3_000;
  const canary = (attemptId = '6a4c1d2e-0000-4000-8000-000000000002') =>
    assignment({
      attemptId,
      template: 'custom',
      image: 'node:22-slim',
      command: ['node', '-e', KNOWN_ANSWER_PROGRAM],
      env: { BACKFILL_KA_SEED: seed, BACKFILL_KA_STEPS: String(steps) },
      workUnits: 30,
    });

  /** Runs an assignment to the end, polling every 5 s; returns what the sink saw and when it exited. */
  function runToEnd(a: Assignment, extra: Partial<VirtualRunnerOptions> = {}) {
    const clock = new ManualClock(0);
    const { seen, sink } = recorder();
    const workload = createVirtualRunner({ ...options, clock, ...extra }).start(a, sink);
    let polls = 0;
    while (!seen.exit && polls < 10_000) {
      clock.advance(5_000);
      workload.poll?.();
      polls += 1;
    }
    return { seen, doneAfterPolls: polls };
  }

  it('an honest node reports the known answer when the work completes, at the usual custom rate', () => {
    const honest = runToEnd(canary());
    expect(honest.seen.exit).toEqual({ exitCode: 0 });
    expect(honest.seen.results).toEqual([laneAnswer(seed, 0, steps)]);
    const ordinary = runToEnd(assignment({ template: 'custom', workUnits: 30 }));
    expect(honest.doneAfterPolls).toBe(ordinary.doneAfterPolls);
    expect(honest.seen.progress).toEqual(ordinary.seen.progress);
  });

  it('a skipped canary completes on the same schedule with a wrong digest', () => {
    const honest = runToEnd(canary());
    const skipped = runToEnd(canary(), { skips: () => true });
    expect(skipped.seen.exit).toEqual({ exitCode: 0 });
    expect(skipped.seen.progress).toEqual(honest.seen.progress);
    expect(skipped.seen.checkpoints).toEqual(honest.seen.checkpoints);
    expect(skipped.seen.results).toHaveLength(1);
    expect(skipped.seen.results[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(skipped.seen.results[0]).not.toBe(laneAnswer(seed, 0, steps));
  });

  it('a skip-work cheater skips the attempts its profile draws, and only those', () => {
    const nodeId = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
    const profile = hiddenProfile('ga-eu-west-0001', null, 'rtx-4090-24gb', {
      kind: 'skip_work',
      skipShare: 0.5,
    });
    const attempts = Array.from(
      { length: 12 },
      (_, i) => `6a4c1d2e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const skips = (attemptId: string) => skipsAssignment(profile, nodeId, attemptId);
    const wrong = attempts.filter(
      (id) => runToEnd(canary(id), { skips }).seen.results[0] !== laneAnswer(seed, 0, steps),
    );
    expect(wrong).toEqual(attempts.filter(skips));
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.length).toBeLessThan(attempts.length);
  });

  it('reports no result for ordinary jobs, skipped or not', () => {
    expect(runToEnd(assignment()).seen.results).toEqual([]);
    expect(runToEnd(assignment(), { skips: () => true }).seen.results).toEqual([]);
  });

  it('reads a canary from its env only when the variables make sense', () => {
    expect(knownAnswerJob({ BACKFILL_KA_SEED: 'ab01', BACKFILL_KA_STEPS: '20000' })).toEqual({
      seed: 'ab01',
      steps: 20_000,
    });
    const malformed: Record<string, string>[] = [
      {},
      { BACKFILL_KA_SEED: 'ab01' },
      { BACKFILL_KA_STEPS: '10' },
      { BACKFILL_KA_SEED: 'abc', BACKFILL_KA_STEPS: '10' },
      { BACKFILL_KA_SEED: 'zz', BACKFILL_KA_STEPS: '10' },
      { BACKFILL_KA_SEED: 'ab', BACKFILL_KA_STEPS: '-1' },
      { BACKFILL_KA_SEED: 'ab', BACKFILL_KA_STEPS: '1e4' },
      { BACKFILL_KA_SEED: 'ab', BACKFILL_KA_STEPS: '99999999' },
    ];
    for (const env of malformed) expect(knownAnswerJob(env)).toBeNull();
  });
});
