import { describe, expect, it } from 'vitest';
import type { WorkloadExit, WorkloadSink } from '@/lib/agent/runtime';
import type { Assignment } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import { createVirtualRunner, virtualRate } from '@/lib/fleet/sim/virtual-runner';
import { expectedUnitsPerHour } from '@/lib/jobs/templates';

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
    resumeFrom: { units: 0, ref: null },
    ...overrides,
  };
}

function recorder() {
  const seen = {
    progress: [] as number[],
    checkpoints: [] as [number, string][],
    logs: [] as string[],
    exit: null as WorkloadExit | null,
  };
  const sink: WorkloadSink = {
    progress: (units) => seen.progress.push(units),
    checkpoint: (units, ref) => seen.checkpoints.push([units, ref]),
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
      assignment({ workUnits: 400, resumeFrom: { units: 300, ref: 'sim://x/ckpt-300' } }),
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
