import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '@/lib/clock';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { upStretches, type HistoryNode } from '@/simulator/history/network';
import type { HistoryDay, SimulationConfig } from '@/simulator/history/history-types';
import { HistorySimulation } from '@/simulator/history/simulation';
import { gpuModel } from '@/lib/market/gpu-models';
import type { StatusSpan } from '@/lib/market/uptime';
import { costOfMs } from '@/lib/scheduler/ranking';

const NOW = new Date('2026-11-24T09:30:00Z');
const TO = Date.UTC(2026, 10, 24);
const DAYS = 45;
const FROM = TO - DAYS * MS_PER_DAY;

/** The demo network as `loadHistoryNetwork` reads it from the database, built in memory. */
function historyNodes(seed: number, nodeCount: number): HistoryNode[] {
  const network = generateDemoNetwork({ seed, nodeCount, now: NOW, historyDays: DAYS });
  return network.nodes
    .filter((n) => n.createdAt.getTime() < TO)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((n) => {
      const spans: StatusSpan[] = network.spans
        .filter((s) => s.nodeId === n.id && s.startedAt.getTime() < TO)
        .map((s) => ({
          status: s.status,
          startedAt: s.startedAt,
          endedAt: s.endedAt && s.endedAt.getTime() < TO ? s.endedAt : null,
        }));
      const pass = network.verifications
        .filter((v) => v.nodeId === n.id && v.result === 'pass' && v.createdAt.getTime() < TO)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
      return {
        id: n.id,
        ownerAccountId: n.ownerAccountId,
        name: n.name,
        region: n.region,
        gpuModel: n.gpuModel,
        gpuCount: n.gpuCount,
        vramGb: n.vramGb,
        price: n.pricePerGpuHourMicros as bigint,
        verifiedFrom: pass ? pass.createdAt.getTime() : null,
        perf: pass ? pass.measuredScore / gpuModel(n.gpuModel).relativeThroughput : 1,
        spans,
        up: upStretches(spans),
      };
    });
}

const CONFIG: SimulationConfig = {
  seed: 42,
  from: FROM,
  to: TO,
  customers: 80,
  timing: { heartbeatIntervalMs: 5_000, lostAfterMs: 30_000 },
  maxAttempts: 3,
};
const nodes = historyNodes(42, 60);

function simulate(config: SimulationConfig = CONFIG, fromDay = 0): HistoryDay[] {
  const sim = new HistorySimulation(nodes, config);
  const days: HistoryDay[] = [];
  for (let d = 0; d < sim.dayCount; d++) {
    const day = sim.takeDay(d);
    if (d >= fromDay) days.push(day);
  }
  return days;
}

const days = simulate();
const jobs = days.flatMap((d) => d.jobs);
const attempts = jobs.flatMap((j) => j.attempts.map((a) => ({ job: j, a })));

describe('demo history simulation', () => {
  it('hands over every day, each with the jobs launched in it, ended before the span ends', () => {
    expect(days).toHaveLength(DAYS);
    expect(jobs.length).toBeGreaterThan(100);
    for (const day of days) {
      for (const job of day.jobs) {
        expect(job.launchAt).toBeGreaterThanOrEqual(day.start);
        expect(job.launchAt).toBeLessThan(day.end);
        expect(job.endedAt).toBeLessThan(TO);
        expect(job.endedAt).toBeGreaterThanOrEqual(job.launchAt);
      }
      const launches = day.jobs.map((j) => j.launchAt);
      expect(launches).toEqual([...launches].sort((a, b) => a - b));
      for (const deposit of day.deposits) {
        expect(deposit.at).toBeGreaterThanOrEqual(day.start);
        expect(deposit.at).toBeLessThan(day.end);
      }
    }
  });

  it('places only on nodes that are verified and up, and never on a GPU already taken', () => {
    const byNode = new Map(nodes.map((n) => [n.id, n]));
    const held = new Map<string, [number, number][]>();
    for (const { a } of attempts) {
      const node = byNode.get(a.node.id) as HistoryNode;
      expect(node.verifiedFrom).not.toBeNull();
      expect(a.assignedAt).toBeGreaterThanOrEqual(node.verifiedFrom ?? Infinity);
      expect(node.up.some(([s, e]) => s <= a.assignedAt && a.assignedAt < e)).toBe(true);
      for (const gpu of a.gpuIndexes) {
        const key = `${a.node.id}:${gpu}`;
        held.set(key, [...(held.get(key) ?? []), [a.assignedAt, a.end.at]]);
      }
    }
    for (const intervals of held.values()) {
      intervals.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < intervals.length; i++)
        expect(intervals[i]?.[0]).toBeGreaterThanOrEqual(intervals[i - 1]?.[1] ?? Infinity);
    }
  });

  it('loses an attempt exactly when its node goes down, a lost-after window after the last heartbeat', () => {
    const lost = attempts.filter(({ a }) => a.end.kind === 'host_lost');
    expect(lost.length).toBeGreaterThan(0);
    for (const { a } of lost) {
      const downAt = a.node.up.find(([s, e]) => s <= a.assignedAt && a.assignedAt < e)?.[1] ?? Infinity;
      expect(downAt).toBeLessThan(TO);
      const last = a.end.lastReportAt ?? downAt;
      expect(last).toBeLessThanOrEqual(downAt);
      expect(a.end.at).toBe(Math.ceil((last + 30_000) / 1000) * 1000);
      expect(a.forfeitedMs).toBeGreaterThanOrEqual(0);
    }
    // A job is placed at most maxAttempts times; one lost on its last placement fails.
    for (const job of jobs) {
      expect(job.attempts.length).toBeLessThanOrEqual(3);
      const last = job.attempts.at(-1);
      if (last?.end.kind === 'host_lost' && job.attempts.length === 3) expect(job.state).toBe('failed');
    }
  });

  it('charges settled time at the locked price, never beyond the budget, and resumes from checkpoints', () => {
    for (const job of jobs) {
      let charged = 0n;
      let resume = 0;
      for (const a of job.attempts) {
        expect(a.resumeFromUnits).toBe(resume);
        const uncapped = costOfMs(a.settledMs, a.gpuIndexes.length, a.node.price);
        expect(a.chargedMicros).toBe(
          uncapped < job.planned.budgetMicros - charged ? uncapped : job.planned.budgetMicros - charged,
        );
        charged += a.chargedMicros;
        for (const c of a.checkpoints) expect(c.units).toBeGreaterThan(resume);
        resume = a.checkpoints.at(-1)?.units ?? resume;
        expect(a.end.at).toBeGreaterThanOrEqual(a.assignedAt);
      }
      expect(job.chargedMicros).toBe(charged);
      expect(charged).toBeLessThanOrEqual(job.planned.budgetMicros);
    }
    const states = new Set(jobs.map((j) => j.state));
    expect(states).toContain('succeeded');
    expect(states).toContain('cancelled');
  });

  it('funds each customer before its holds: the simulated balance never goes negative', () => {
    const balance = new Map<string, bigint>();
    const events: [number, number, string, bigint][] = [];
    for (const day of days) {
      for (const d of day.deposits) events.push([d.at, 0, d.customer.id, d.amountMicros]);
      for (const j of day.jobs) {
        events.push([j.launchAt, 1, j.customer.id, -j.planned.budgetMicros]);
        events.push([j.endedAt, 2, j.customer.id, j.planned.budgetMicros - j.chargedMicros]);
      }
    }
    events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [, , customer, amount] of events) {
      const next = (balance.get(customer) ?? 0n) + amount;
      expect(next).toBeGreaterThanOrEqual(0n);
      balance.set(customer, next);
    }
  });

  it('is deterministic, resumes identically mid-way, and differs for another seed', () => {
    expect(simulate()).toEqual(days);
    // A fresh simulation that skips the first 20 days (as a restarted generator does) continues identically.
    expect(simulate(CONFIG, 20)).toEqual(days.slice(20));
    const other = simulate({ ...CONFIG, seed: 43 });
    expect(other.flatMap((d) => d.jobs).map((j) => j.launchAt)).not.toEqual(jobs.map((j) => j.launchAt));
  });
});
