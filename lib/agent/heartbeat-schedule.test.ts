import { describe, expect, it } from 'vitest';
import { HEARTBEAT_JITTER, HeartbeatPacer, MAX_RETRY_DELAY_MS } from '@/lib/agent/heartbeat-schedule';
import { createRng } from '@/lib/random';

const NODES = 300;
const INTERVAL_MS = 5_000;
const WINDOW_MS = 2_000;
/** Heartbeats an even spread puts in one window: 300 nodes × 2 s / 5 s = 120. */
const MEAN_PER_WINDOW = (NODES * WINDOW_MS) / INTERVAL_MS;

/** What the server does with a heartbeat sent at `sentAt`: answered after `latencyMs`, or failed. */
type Server = (sentAt: number) => { ok: boolean; latencyMs: number };

const healthy: Server = () => ({ ok: true, latencyMs: 20 });

/** Holds every heartbeat sent in [from, until) and answers them all at `until` (a stalled server). */
function stalled(from: number, until: number): Server {
  return (sentAt) =>
    sentAt >= from && sentAt < until ? { ok: true, latencyMs: until - sentAt } : healthy(sentAt);
}

/** Refuses every connection in [from, until) at once (the server is down). */
function down(from: number, until: number): Server {
  return (sentAt) => (sentAt >= from && sentAt < until ? { ok: false, latencyMs: 1 } : healthy(sentAt));
}

interface Policy {
  first(node: number): number;
  next(node: number, elapsedMs: number, ok: boolean): number;
}

/** The pacer, one per node, each with its own seeded random source. */
function pacerPolicy(seed: number): Policy {
  const pacers = Array.from(
    { length: NODES },
    (_, i) => new HeartbeatPacer({ random: createRng(seed * 1_000 + i).next }),
  );
  return {
    first: (node) => pacers[node]?.firstDelayMs(INTERVAL_MS) ?? 0,
    next: (node, elapsed, ok) => pacers[node]?.nextDelayMs(INTERVAL_MS, elapsed, ok) ?? 0,
  };
}

/** The schedule before: evenly staggered at start, then a fixed interval after each reply. */
const fixedPolicy: Policy = {
  first: (node) => Math.floor((node / NODES) * INTERVAL_MS),
  next: () => INTERVAL_MS,
};

/** When each heartbeat was sent, over `durationMs`, for every node. */
function simulate(policy: Policy, server: Server, durationMs: number): number[] {
  const sends: number[] = [];
  for (let node = 0; node < NODES; node++) {
    let at = policy.first(node);
    while (at < durationMs) {
      sends.push(at);
      const { ok, latencyMs } = server(at);
      at += latencyMs + policy.next(node, latencyMs, ok);
    }
  }
  return sends.sort((a, b) => a - b);
}

/** The most heartbeats sent within any 2 s window starting in [from, until), in steps of 100 ms. */
function busiestWindow(sends: readonly number[], from: number, until: number): number {
  let most = 0;
  for (let start = from; start + WINDOW_MS <= until; start += 100) {
    let count = 0;
    for (const at of sends) if (at >= start && at < start + WINDOW_MS) count += 1;
    most = Math.max(most, count);
  }
  return most;
}

describe('heartbeat pacing', () => {
  it('spreads 300 nodes started in the same instant over the interval: no 2 s window holds 1.5× the mean', () => {
    const sends = simulate(pacerPolicy(1), healthy, 60_000);
    expect(busiestWindow(sends, 0, 60_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
    // Every node keeps its rate: about 12 heartbeats a minute each.
    expect(sends.length / NODES).toBeGreaterThan(11);
    expect(sends.length / NODES).toBeLessThan(13);
  });

  it('lets nodes that heartbeat in lock-step drift apart within a minute', () => {
    // Every node's first heartbeat at the same instant (as right after a registration).
    const pacers = pacerPolicy(2);
    const sends = simulate({ ...pacers, first: () => 0 }, healthy, 120_000);
    expect(busiestWindow(sends, 0, 10_000)).toBe(NODES);
    expect(busiestWindow(sends, 60_000, 120_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
  });

  it('does not re-synchronise after a 2 s stall answers everything it held at once', () => {
    const server = stalled(20_000, 22_000);
    // The harness sees the problem: with a fixed interval after each reply, the stall's nodes stay together.
    const fixed = simulate(fixedPolicy, server, 80_000);
    expect(busiestWindow(fixed, 30_000, 80_000)).toBeGreaterThan(1.9 * MEAN_PER_WINDOW);
    const paced = simulate(pacerPolicy(3), server, 80_000);
    expect(busiestWindow(paced, 22_000, 80_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
  });

  it('spreads the reconnections after a 30 s outage instead of retrying all at once', () => {
    const sends = simulate(pacerPolicy(4), down(20_000, 50_000), 110_000);
    // While the server is down, nodes try no more often than they heartbeat...
    expect(busiestWindow(sends, 20_000, 50_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
    // ...and on its return they arrive spread, not in one burst.
    expect(busiestWindow(sends, 48_000, 110_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
  });

  it('also spreads the nodes a server that hung for 30 s answers at once when it comes back', () => {
    const sends = simulate(pacerPolicy(5), stalled(20_000, 50_000), 110_000);
    expect(busiestWindow(sends, 50_000, 110_000)).toBeLessThan(1.5 * MEAN_PER_WINDOW);
  });

  it('keeps every gap well inside the lost-after window', () => {
    const pacer = new HeartbeatPacer({ random: createRng(6).next });
    const idleMs = 10_000;
    let longest = 0;
    for (let i = 0; i < 10_000; i++) {
      const latency = (i % 50) * 10;
      longest = Math.max(longest, latency + pacer.nextDelayMs(idleMs, latency, true));
    }
    expect(longest).toBeLessThanOrEqual((1 + HEARTBEAT_JITTER) * idleMs);
    expect(longest).toBeGreaterThan((1 + 0.9 * HEARTBEAT_JITTER) * idleMs);
    // The first heartbeat of a process comes within one interval.
    for (let i = 0; i < 1_000; i++) expect(pacer.firstDelayMs(idleMs)).toBeLessThan(idleMs);
  });

  it('backs off after failures, with jitter, up to a bound, and starts over once answered', () => {
    const ceilings = (random: () => number) => {
      const pacer = new HeartbeatPacer({ random });
      return [1, 2, 3, 4].map(() => pacer.nextDelayMs(INTERVAL_MS, 1, false));
    };
    expect(ceilings(() => 0.999_999)).toEqual([
      7_500,
      MAX_RETRY_DELAY_MS,
      MAX_RETRY_DELAY_MS,
      MAX_RETRY_DELAY_MS,
    ]);
    expect(ceilings(() => 0)).toEqual([3_750, 5_000, 5_000, 5_000]);
    // A long interval is never shortened by the bound.
    expect(new HeartbeatPacer({ random: () => 0.999_999 }).nextDelayMs(60_000, 1, false)).toBe(90_000);

    const pacer = new HeartbeatPacer({ random: () => 0.5 });
    pacer.nextDelayMs(INTERVAL_MS, 1, false);
    pacer.nextDelayMs(INTERVAL_MS, 1, false);
    expect(pacer.consecutiveFailures).toBe(2);
    expect(pacer.nextDelayMs(INTERVAL_MS, 0, true)).toBe(INTERVAL_MS);
    expect(pacer.consecutiveFailures).toBe(0);
    expect(pacer.nextDelayMs(INTERVAL_MS, 1, false)).toBe(5_625);
  });
});
