import { setTimeout as delay } from 'node:timers/promises';
import type { BenchmarkChallenge, ProofRevealWire } from '@/lib/agent/schemas';
import { systemClock, type Clock } from '@/lib/clock';
import {
  checkProofParams,
  computeCommitment,
  fingerprintKeys,
  generateB,
  revealRound,
  type ProofCommitment,
  type ProofParams,
} from '@/lib/verification/gpu-proof';

/**
 * The GPU proof on the agent's side (docs/verification.md). An engine computes a challenge's rounds and commits
 * to their Merkle root (the timed phase), then reveals the rounds the server names (untimed). Engines:
 * - the Python kernel on a GPU (python3 with PyTorch or CuPy on the host, or in a pinned image through Docker):
 *   lib/agent/benchmark-python.ts;
 * - DEVELOPMENT ONLY: the same computation in JavaScript on the CPU, paced to the challenge's reference time
 *   (`--benchmark cpu`). It proves the protocol, not a GPU, and refuses production-size challenges;
 * - none: the agent answers `unsupported`, and the node is listed as declared, unverified.
 */

/** A computed proof: its root, and how to reveal rounds of it once the server names them. */
export interface ProofRun {
  root: string;
  reveal(rounds: readonly number[], signal: AbortSignal): Promise<ProofRevealWire[]>;
}

/** Runs a challenge's timed phase; rejects when `signal` aborts, or with UnsupportedProofError. */
export type BenchmarkEngine = (challenge: BenchmarkChallenge, signal: AbortSignal) => Promise<ProofRun>;

/** Waits `ms` on the engine's clock; rejects when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** This agent cannot run the proof: the server is told so, and lists the node as declared. */
export class UnsupportedProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedProofError';
  }
}

export class InvalidChallengeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChallengeError';
  }
}

export function proofParams(challenge: BenchmarkChallenge): ProofParams {
  return { seed: challenge.seed, m: challenge.m, k: challenge.k, rounds: challenge.rounds };
}

/** Refuses a challenge no answer could be right for (sizes outside the proof's, a malformed seed). */
export function checkChallenge(challenge: BenchmarkChallenge): void {
  const problem = checkProofParams(proofParams(challenge));
  if (problem) throw new InvalidChallengeError(problem);
  if (challenge.lanes < 1 || challenge.lanes > 16)
    throw new InvalidChallengeError(`${challenge.lanes} lanes (1 to 16 expected)`);
  if (!(challenge.referenceMs >= 0)) throw new InvalidChallengeError('negative reference time');
}

/**
 * The most multiply-adds the development CPU path takes on (about a second of JavaScript). Production
 * challenges are thousands of times more: on a CPU they would take hours and fail anyway.
 */
export const DEVELOPMENT_MAX_MACS = 200_000_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reveals of a commitment computed here: each round recomputed on the CPU, with its Merkle path. */
export function cpuReveal(params: ProofParams, commitment: ProofCommitment): ProofRun['reveal'] {
  return async (rounds, signal) => {
    const b = generateB(params);
    const keys = fingerprintKeys(params);
    const reveals: ProofRevealWire[] = [];
    for (const round of rounds) {
      signal.throwIfAborted();
      if (!Number.isInteger(round) || round < 0 || round >= params.rounds)
        throw new InvalidChallengeError(`round ${round} does not exist`);
      reveals.push(revealRound(params, commitment, round, b, keys));
      await nextTurn();
    }
    return reveals;
  };
}

/** The proof in JavaScript on this machine's CPU, yielding between rounds so heartbeats keep flowing. */
export async function computeOnCpu(
  challenge: BenchmarkChallenge,
  signal: AbortSignal,
  yieldNow: () => Promise<void> = nextTurn,
): Promise<ProofRun> {
  checkChallenge(challenge);
  const params = proofParams(challenge);
  if (params.m * params.k * params.m * params.rounds > DEVELOPMENT_MAX_MACS)
    throw new UnsupportedProofError(
      'the development CPU path takes development-size proofs only; this challenge needs a GPU engine',
    );
  signal.throwIfAborted();
  const commitment = await computeCommitment(params, {
    yieldNow: async () => {
      await yieldNow();
      signal.throwIfAborted();
    },
  });
  return { root: commitment.root, reveal: cpuReveal(params, commitment) };
}

export interface PacedEngineOptions {
  clock: Clock;
  sleep: Sleep;
  /** Computes the proof; `computeOnCpu` unless given. */
  compute?: BenchmarkEngine;
  /** The soonest the commitment may go, from the start: the challenge's `referenceMs` unless given. */
  paceMs?: (challenge: BenchmarkChallenge) => number;
}

/**
 * An engine that computes the proof, then commits no earlier than the pace after it started (both on the
 * injected clock). When the computation alone takes longer, the commitment goes as soon as it is ready.
 */
export function createPacedBenchmarkEngine(options: PacedEngineOptions): BenchmarkEngine {
  const compute = options.compute ?? ((challenge, signal) => computeOnCpu(challenge, signal));
  const paceMs = options.paceMs ?? ((challenge) => challenge.referenceMs);
  return async (challenge, signal) => {
    checkChallenge(challenge);
    const started = options.clock.now().getTime();
    const run = await compute(challenge, signal);
    const wait = started + paceMs(challenge) - options.clock.now().getTime();
    if (wait > 0) await options.sleep(Math.ceil(wait), signal);
    signal.throwIfAborted();
    return run;
  };
}

/** Node's timers, cancelled by the signal. */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * DEVELOPMENT ONLY (`--benchmark cpu`): the proof computed in JavaScript and paced to the declared model's
 * reference time. At development sizes it passes for any declared model — it proves the protocol, not the GPU.
 */
export function cpuBenchmarkEngine(clock: Clock = systemClock, sleep: Sleep = realSleep): BenchmarkEngine {
  return createPacedBenchmarkEngine({ clock, sleep });
}

/** The engine of an agent that cannot run the proof: every challenge is answered `unsupported`. */
export function unsupportedBenchmarkEngine(reason: string): BenchmarkEngine {
  return () => Promise.reject(new UnsupportedProofError(reason));
}
