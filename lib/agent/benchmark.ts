import { setTimeout as delay } from 'node:timers/promises';
import type { BenchmarkChallenge } from '@/lib/agent/schemas';
import { systemClock, type Clock } from '@/lib/clock';
import { MAX_LANES, computeLanes } from '@/lib/verification/known-answer';

/**
 * Benchmark challenges on the agent's side. The marketplace sends a known-answer computation (one sha256 hash
 * chain per GPU, lib/verification/known-answer.ts) and times the answer against the claimed model's reference
 * time. This repository ships no CUDA kernel, so the agent computes the chains on the CPU and then paces the
 * answer to the declared model: it answers no earlier than `referenceMs` after it started. For a node run from
 * this agent the benchmark therefore proves the answer and the protocol, not the GPU's speed (docs/agent.md);
 * the simulated fleet paces to each node's true speed instead.
 */

/** Computes a challenge's lane hashes; rejects when `signal` aborts (the challenge was withdrawn). */
export type BenchmarkEngine = (challenge: BenchmarkChallenge, signal: AbortSignal) => Promise<string[]>;

/** Waits `ms` on the engine's clock; rejects when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Largest chain accepted: beyond this a challenge is refused rather than keeping the CPU busy for minutes. */
export const MAX_CHALLENGE_STEPS = 10_000_000;

export class InvalidChallengeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChallengeError';
  }
}

/**
 * Refuses a challenge no answer could be right for: lanes outside 1…16, a negative or huge step count, or a
 * seed that is not whole bytes of hex (Buffer.from would silently drop the rest and compute the wrong chain).
 */
export function checkChallenge(challenge: BenchmarkChallenge): void {
  if (challenge.lanes < 1 || challenge.lanes > MAX_LANES)
    throw new InvalidChallengeError(`${challenge.lanes} lanes (1 to ${MAX_LANES} expected)`);
  if (challenge.steps < 0 || challenge.steps > MAX_CHALLENGE_STEPS)
    throw new InvalidChallengeError(`${challenge.steps} steps (0 to ${MAX_CHALLENGE_STEPS} expected)`);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(challenge.seed))
    throw new InvalidChallengeError('the seed is not hex bytes');
  if (!(challenge.referenceMs >= 0)) throw new InvalidChallengeError('negative reference time');
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The lanes on this machine's CPU with `computeLanes`, yielding to the event loop between slices so
 * heartbeats keep flowing, and stopping at the next slice once `signal` aborts.
 */
export function computeChallengeLanes(
  challenge: BenchmarkChallenge,
  signal: AbortSignal,
  yieldNow: () => Promise<void> = nextTurn,
): Promise<string[]> {
  checkChallenge(challenge);
  signal.throwIfAborted();
  return computeLanes(challenge.seed, challenge.lanes, challenge.steps, {
    yieldNow: async () => {
      await yieldNow();
      signal.throwIfAborted();
    },
  });
}

export interface PacedEngineOptions {
  clock: Clock;
  sleep: Sleep;
  /** Computes the lanes; `computeChallengeLanes` unless given. */
  compute?: BenchmarkEngine;
  /** The soonest the answer may go, from the start: the challenge's `referenceMs` unless given. */
  paceMs?: (challenge: BenchmarkChallenge) => number;
}

/**
 * An engine that computes the lanes, then resolves no earlier than the pace after it started (both on the
 * injected clock). When the computation alone takes longer, the answer goes as soon as it is ready.
 */
export function createPacedBenchmarkEngine(options: PacedEngineOptions): BenchmarkEngine {
  const compute = options.compute ?? ((challenge, signal) => computeChallengeLanes(challenge, signal));
  const paceMs = options.paceMs ?? ((challenge) => challenge.referenceMs);
  return async (challenge, signal) => {
    checkChallenge(challenge);
    const started = options.clock.now().getTime();
    const lanes = await compute(challenge, signal);
    const wait = started + paceMs(challenge) - options.clock.now().getTime();
    if (wait > 0) await options.sleep(Math.ceil(wait), signal);
    signal.throwIfAborted();
    return lanes;
  };
}

/** Node's timers, cancelled by the signal. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** The agent's engine: the CPU computes the known answer and the answer is paced to the declared model. */
export function cpuBenchmarkEngine(clock: Clock = systemClock, sleep: Sleep = realSleep): BenchmarkEngine {
  return createPacedBenchmarkEngine({ clock, sleep });
}
