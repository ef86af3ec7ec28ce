import type { Assignment } from '@/lib/agent/schemas';
import { isStorable } from '@/lib/api/text';

/**
 * The job ↔ agent stdout protocol. A workload tells the agent how far it is, and what it computed, by printing
 * three kinds of line on standard output; everything else it prints (on either stream) is a log line:
 *
 *   BACKFILL_PROGRESS <units>              units of work done so far (an integer, never decreasing)
 *   BACKFILL_CHECKPOINT <units> <name>     a checkpoint covering <units> was written to
 *                                          $BACKFILL_CHECKPOINT_DIR/<name>; the agent uploads it, and it is kept
 *                                          once the marketplace acknowledges it
 *   BACKFILL_RESULT <sha256 hex>           the workload's result digest (64 lowercase hex); the last one counts
 *
 * The agent starts the workload with the variables of `workloadEnv` (plus the job's own). Documented in
 * docs/agent.md.
 */

export const PROGRESS_PREFIX = 'BACKFILL_PROGRESS';
export const CHECKPOINT_PREFIX = 'BACKFILL_CHECKPOINT';
export const RESULT_PREFIX = 'BACKFILL_RESULT';
/** Longest log line kept; the rest of a longer line is cut (the protocol's `text` limit). */
export const MAX_LOG_LINE = 4_000;
/** Longest checkpoint reference accepted (the protocol's `ref` limit). */
export const MAX_CHECKPOINT_REF = 500;
/** Largest unit count the protocol carries. */
const MAX_UNITS = 1e15;
/** A result is a sha256 digest in lowercase hex, exactly as the lease report carries it. */
const RESULT_DIGEST = /^[0-9a-f]{64}$/;

export type ProtocolEvent =
  | { type: 'progress'; units: number }
  | { type: 'checkpoint'; units: number; ref: string }
  | { type: 'result'; digest: string }
  | { type: 'log'; text: string };

function parseUnits(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return null;
  const units = Number(text);
  return units <= MAX_UNITS ? units : null;
}

/**
 * Reads one complete line (without its line break). A line that starts with a protocol word but is malformed
 * stays a log line, so a typo shows up in the job's logs instead of vanishing.
 */
export function parseProtocolLine(line: string): ProtocolEvent {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const words = text.trim().split(/\s+/);
  if (words[0] === PROGRESS_PREFIX && words.length === 2) {
    const units = parseUnits(words[1]);
    if (units !== null) return { type: 'progress', units };
  }
  if (words[0] === CHECKPOINT_PREFIX && words.length === 3) {
    const units = parseUnits(words[1]);
    const ref = words[2] ?? '';
    if (units !== null && ref.length > 0 && ref.length <= MAX_CHECKPOINT_REF && isStorable(ref))
      return { type: 'checkpoint', units, ref };
  }
  if (words[0] === RESULT_PREFIX && words.length === 2 && RESULT_DIGEST.test(words[1] ?? ''))
    return { type: 'result', digest: words[1] ?? '' };
  return { type: 'log', text: text.length > MAX_LOG_LINE ? text.slice(0, MAX_LOG_LINE) : text };
}

/**
 * Splits a byte stream into lines across chunk boundaries. A line longer than MAX_LOG_LINE is cut there and
 * the remainder skipped up to the next line break, so a workload printing without newlines cannot grow the
 * buffer without bound.
 */
export class LineSplitter {
  private pending = '';
  private skipping = false;
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    for (;;) {
      const newline = text.indexOf('\n');
      if (newline === -1) break;
      const piece = text.slice(0, newline);
      text = text.slice(newline + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      this.onLine(this.pending + piece);
      this.pending = '';
    }
    if (this.skipping) return;
    this.pending += text;
    if (this.pending.length > MAX_LOG_LINE) {
      this.onLine(this.pending.slice(0, MAX_LOG_LINE));
      this.pending = '';
      this.skipping = true;
    }
  }

  /** The stream ended: a last line without a line break still counts. */
  end(): void {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (rest.length > 0 && !this.skipping) this.onLine(rest);
    this.skipping = false;
  }
}

/** A parser for a workload's standard output: protocol lines become events, the rest log lines. */
export function stdoutParser(onEvent: (event: ProtocolEvent) => void): LineSplitter {
  return new LineSplitter((line) => onEvent(parseProtocolLine(line)));
}

/** The directories a workload sees, as paths in its own file system. */
export interface WorkloadDirs {
  input: string;
  output: string;
  checkpoints: string;
}

/**
 * The variables a workload starts with: the job's own env first, then the agent's, which win (a job cannot
 * point BACKFILL_CHECKPOINT_DIR elsewhere or widen CUDA_VISIBLE_DEVICES).
 */
export function workloadEnv(
  assignment: Pick<Assignment, 'jobId' | 'attemptId' | 'workUnits' | 'resumeFrom' | 'env' | 'gpuIndexes'>,
  dirs: WorkloadDirs,
  visibleDevices: readonly number[] = assignment.gpuIndexes,
): Record<string, string> {
  return {
    ...assignment.env,
    BACKFILL_JOB_ID: assignment.jobId,
    BACKFILL_ATTEMPT_ID: assignment.attemptId,
    BACKFILL_WORK_UNITS: String(assignment.workUnits),
    BACKFILL_RESUME_UNITS: String(assignment.resumeFrom.units),
    BACKFILL_RESUME_REF: assignment.resumeFrom.ref ?? '',
    BACKFILL_INPUT_DIR: dirs.input,
    BACKFILL_OUTPUT_DIR: dirs.output,
    BACKFILL_CHECKPOINT_DIR: dirs.checkpoints,
    CUDA_VISIBLE_DEVICES: visibleDevices.join(','),
  };
}

/**
 * `$(NAME)` in a command's arguments becomes the value of the workload variable NAME, as in a Kubernetes
 * container spec, so one command names its files in a container (`/backfill/input`) and on a bare host
 * alike: `node $(BACKFILL_INPUT_DIR)/render.mjs`. `$$(NAME)` stays literally `$(NAME)`; an unknown name is
 * left as written. No shell is involved.
 */
export function expandCommand(command: readonly string[], env: Readonly<Record<string, string>>): string[] {
  return command.map((arg) =>
    arg.replace(/\$(\$?)\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped: string, name: string) =>
      escaped ? whole.slice(1) : (env[name] ?? whole),
    ),
  );
}
