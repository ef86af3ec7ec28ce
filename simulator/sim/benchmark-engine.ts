import {
  computeOnCpu,
  createPacedBenchmarkEngine,
  type BenchmarkEngine,
  type Sleep,
} from '@/lib/agent/benchmark';
import type { Clock } from '@/lib/clock';
import type { Timers } from '@/simulator/sim/timers';

/**
 * How a virtual node answers a GPU proof challenge: through the agent runtime's own engine path, with the real
 * proof computed by the JavaScript implementation at development sizes (lib/verification/gpu-proof.ts) and the
 * commitment paced to the node's true speed — `referenceMs ÷ performanceFactor` on the simulated clock. An
 * honest node (factor 0.92–1.04) passes the claimed model's bound; one claiming an H100 while really an RTX 4090
 * has a low factor, commits late and fails.
 */

/**
 * Runs the fleet's proof computations one at a time, in arrival order. All 300 virtual nodes share one event
 * loop: interleaving them would finish every benchmark late, while a queue finishes the earliest first.
 */
export class ComputeQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** A sleep on the simulator's timers (injected, so tests fire it by hand); abort clears the timer. */
export function timersSleep(timers: Timers): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        timers.clearTimeout(handle);
        reject(signal.reason);
      };
      const handle = timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
}

export interface VirtualBenchmarkOptions {
  clock: Clock;
  timers: Timers;
  /** The node's real speed relative to its claimed model (its hidden profile). */
  performanceFactor: number;
  /** Shared by the fleet's nodes. */
  queue: ComputeQueue;
}

/** The time a node of this real speed takes for a challenge its claimed model does in `referenceMs`. */
export function simulatedBenchmarkMs(referenceMs: number, performanceFactor: number): number {
  return Math.round(referenceMs / Math.max(0.01, performanceFactor));
}

export function createVirtualBenchmarkEngine(options: VirtualBenchmarkOptions): BenchmarkEngine {
  return createPacedBenchmarkEngine({
    clock: options.clock,
    sleep: timersSleep(options.timers),
    paceMs: (challenge) => simulatedBenchmarkMs(challenge.referenceMs, options.performanceFactor),
    compute: (challenge, signal) =>
      options.queue.run(() => {
        // Withdrawn (or the host vanished) while waiting for its turn: nothing to compute.
        signal.throwIfAborted();
        return computeOnCpu(challenge, signal);
      }),
  });
}
