/**
 * When an agent heartbeats. Thousands of nodes heartbeat the same endpoint at the same interval, so nodes that
 * start together (a data center powering up, a fleet restarted, every agent reconnecting after an outage) would
 * keep arriving together, and a burst of them stalls every other request for seconds. Three rules keep them
 * spread:
 *
 * - the first heartbeat of a process goes at a random point within one interval;
 * - every interval after a heartbeat that was answered is stretched or shrunk by up to ±HEARTBEAT_JITTER at
 *   random, counted from when that heartbeat was sent, so nodes that were in step drift apart; a slow reply
 *   does not shift the node's phase, and one slower than the whole interval (a stall that then answers every
 *   node it held at once) is followed by a heartbeat at a random point of the next interval;
 * - after a failed heartbeat the next try waits a random half to whole of a backoff that starts at 1.5
 *   intervals and doubles per failure up to MAX_RETRY_DELAY_MS (or 1.5 intervals, if longer): during an outage
 *   each node tries no more often than it heartbeats, and on recovery the tries arrive spread, not all at once.
 *
 * Between the sending of two heartbeats there are at most (1 + HEARTBEAT_JITTER) × the interval, or, after a
 * reply slower than that, its latency plus one interval: 12 s at the idle interval of the default settings
 * (10 s), well inside the 30 s lost-after window.
 */

/** Each interval is drawn uniformly from (1 ± this) × the interval the server asked for. */
export const HEARTBEAT_JITTER = 0.2;
/** The longest wait after failed heartbeats (unless 1.5 intervals are longer): a node is back soon after an outage. */
export const MAX_RETRY_DELAY_MS = 10_000;
/**
 * The first backoff, in intervals. Its tries average 1.125 intervals apart, so a failing node never tries more
 * often than it heartbeats (a first backoff of one interval would average 0.75).
 */
const RETRY_BACKOFF_START = 1.5;

export interface HeartbeatPacerOptions {
  /** Uniform in [0, 1); Math.random by default, a seeded generator in tests and the simulator. */
  random?: () => number;
  jitter?: number;
  maxRetryDelayMs?: number;
}

/** Draws the delays between one node's heartbeats (see the module comment); one pacer per node. */
export class HeartbeatPacer {
  private readonly random: () => number;
  private readonly jitter: number;
  private readonly maxRetryDelayMs: number;
  private failures = 0;

  constructor(options: HeartbeatPacerOptions = {}) {
    this.random = options.random ?? Math.random;
    this.jitter = options.jitter ?? HEARTBEAT_JITTER;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? MAX_RETRY_DELAY_MS;
  }

  /** Heartbeats that failed in a row since the last answered one. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The wait before a process's first heartbeat: anywhere within one interval. */
  firstDelayMs(intervalMs: number): number {
    return Math.floor(this.random() * intervalMs);
  }

  /**
   * The wait before the next heartbeat, after one that was sent `elapsedMs` ago and was answered (`ok`) or
   * failed.
   */
  nextDelayMs(intervalMs: number, elapsedMs: number, ok: boolean): number {
    if (!ok) {
      this.failures += 1;
      const first = RETRY_BACKOFF_START * intervalMs;
      const ceiling = Math.min(
        first * 2 ** Math.min(this.failures - 1, 16),
        Math.max(first, this.maxRetryDelayMs),
      );
      return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    }
    this.failures = 0;
    const period = intervalMs * (1 + this.jitter * (2 * this.random() - 1));
    const remaining = period - Math.max(0, elapsedMs);
    // A reply slower than the period (the server stalled, and answered every node it held at once): go at a
    // random point of the next interval rather than at once, so those nodes do not heartbeat together again.
    const floor = this.random() * intervalMs;
    return Math.round(Math.max(remaining, floor));
  }
}
