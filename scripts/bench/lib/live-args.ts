import { parseArgs } from 'node:util';
import { positiveInt } from '@/scripts/bench/lib/args';

export interface LiveBenchOptions {
  /** Heartbeats that change the job (each a `progress` event; some also a checkpoint and a charge). */
  changes: number;
  /** Heartbeats per second. */
  rate: number;
  /** Every n-th change also uploads a checkpoint (its acknowledgment: a `checkpoint` and a `charged` event). */
  checkpointEvery: number;
  /** Changes made while the stream is closed, before each resume. */
  reconnectChanges: number;
  /** SCHEDULER_INTERVAL_MS of the server: how soon the job is placed on the node. */
  schedulerIntervalMs: number;
}

export const LIVE_USAGE = `npm run bench:live [-- options]
  --changes N              heartbeats that change the job while the page listens (default 200)
  --rate R                 heartbeats per second (default 5)
  --checkpoint-every K     every K-th change also uploads a checkpoint: + checkpoint and charged events (default 20)
  --reconnect-changes M    changes made while the stream is closed, before each resume (default 20)
  --scheduler-interval MS  SCHEDULER_INTERVAL_MS of the server (default 250)`;

export function parseLiveArgs(argv: readonly string[]): LiveBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      changes: { type: 'string' },
      rate: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'reconnect-changes': { type: 'string' },
      'scheduler-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const schedulerIntervalMs = positiveInt('scheduler-interval', values['scheduler-interval'], 250);
  if (schedulerIntervalMs < 100)
    throw new Error('--scheduler-interval must be at least 100 (the server refuses less)');
  return {
    changes: positiveInt('changes', values.changes, 200),
    rate: positiveInt('rate', values.rate, 5),
    checkpointEvery: positiveInt('checkpoint-every', values['checkpoint-every'], 20),
    reconnectChanges: positiveInt('reconnect-changes', values['reconnect-changes'], 20),
    schedulerIntervalMs,
  };
}
