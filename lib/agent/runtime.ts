import { UnsupportedProofError, type BenchmarkEngine, type ProofRun } from '@/lib/agent/benchmark';
import { AgentApiError, type AgentClient } from '@/lib/agent/client';
import { HeartbeatPacer } from '@/lib/agent/heartbeat-schedule';
import {
  benchmarkAnswerSchema,
  type Assignment,
  type BenchmarkAnswer,
  type BenchmarkChallenge,
  type Cancellation,
  type HeartbeatResponse,
  type LeaseReport,
} from '@/lib/agent/schemas';
import type { LeaseData } from '@/lib/agent/lease-data';
import { isStorable, replaceUnstorable } from '@/lib/api/text';
import type { Clock } from '@/lib/clock';
import type { GpuTelemetry } from '@/lib/db/schema/nodes';

/**
 * The agent loop, free of I/O of its own: a heartbeat reports every lease the node holds and the reply says
 * what to start and what to stop. Workloads run through a `Runner` (a local process, a Docker container, or
 * the simulator's virtual runner); HTTP goes through the injected client, time through the injected clock.
 *
 * Rules from the protocol (docs/agent.md):
 * - an assignment is repeated in every reply until a heartbeat reports its attempt, so it is deduplicated by
 *   attempt id; an attempt that ended here is never started again;
 * - a cancellation (cancelled, out_of_budget, lease_lost, stale_token) stops the workload at once, and the
 *   lease is never reported again;
 * - before a workload starts its inputs (and the checkpoint it resumes from) are downloaded and verified; a
 *   checkpoint the workload announces is uploaded and counts only once the marketplace acknowledges it; when
 *   the workload exits 0 its outputs are uploaded, and only then is the lease reported completed (LeaseData);
 * - each report carries the progress and up to 500 log lines; what was not sent (or not acknowledged by a
 *   reply) is sent next time;
 * - a finished lease (completed / failed) is reported until one reply has been received after it; a completed
 *   one carries the last result digest its workload printed;
 * - a benchmark challenge (the GPU proof) is repeated in every reply until judged, so it is started once per
 *   challenge id: an acknowledgement goes out at once, the commitment (Merkle root) as soon as it is computed,
 *   and the reveal of the rounds a later reply names; each phase's answer goes in a heartbeat sent at once and
 *   in every heartbeat until the next phase. An agent without an engine answers `unsupported`.
 */

export const MAX_LOGS_PER_REPORT = 500;
/** Log lines kept per lease while the server is unreachable; older ones are dropped (and counted). */
export const MAX_BUFFERED_LOGS = 20_000;
/** A lease report's `result`: a sha256 digest in lowercase hex. */
const RESULT_DIGEST = /^[0-9a-f]{64}$/;

export type LogStream = 'stdout' | 'stderr' | 'agent';

export interface WorkloadExit {
  /** The exit status; null when the process was killed by a signal or never started. */
  exitCode: number | null;
  /** Why it failed, in words (a signal, a spawn error); absent for a clean exit. */
  error?: string;
}

/** Where a running workload reports. Calls after the workload was stopped are ignored. */
export interface WorkloadSink {
  progress(units: number): void;
  checkpoint(units: number, ref: string): void;
  /** The workload's result digest (64 lowercase hex); the last one counts, reported only on completion. */
  result(digest: string): void;
  log(stream: LogStream, text: string): void;
  exit(result: WorkloadExit): void;
}

export interface RunningWorkload {
  /** Stops the workload (gracefully, then by force); resolves once it is gone. */
  stop(): Promise<void>;
  /** For runners that compute their state on demand (the simulator): bring the sink up to date now. */
  poll?(): void;
}

export interface Runner {
  readonly name: string;
  start(assignment: Assignment, sink: WorkloadSink): RunningWorkload | Promise<RunningWorkload>;
}

/** A runner whose workloads start synchronously (the process, docker and virtual runners). */
export interface SyncRunner extends Runner {
  start(assignment: Assignment, sink: WorkloadSink): RunningWorkload;
}

/** Environment variables as given (a subset of the host's, or a test's own). */
export type EnvVars = Record<string, string | undefined>;

interface LogLine {
  at: string;
  stream: LogStream;
  text: string;
}

interface Lease {
  assignment: Assignment;
  workload: RunningWorkload | null;
  progressUnits: number;
  /** The newest checkpoint announced and not yet being uploaded (an older waiting one is superseded). */
  queuedCheckpoint: { units: number; ref: string } | null;
  /** The checkpoint upload in flight. */
  uploading: Promise<void> | null;
  /** The workload exited cleanly and its outputs are being uploaded: the lease still reports running. */
  finishing: boolean;
  /** Stops the lease's downloads when it ends here (cancelled, lost, the agent stopping). */
  abort: AbortController;
  /** The downloads before the start, and the output uploads after a clean exit, while they run. */
  busy: Promise<unknown>[];
  logs: LogLine[];
  droppedLogs: number;
  /** The last result digest the workload printed. */
  result: string | null;
  exit: WorkloadExit | null;
  startedAt: Date;
}

export interface LeaseSnapshot {
  attemptId: string;
  jobId: string;
  template: string;
  gpuIndexes: number[];
  progressUnits: number;
  workUnits: number;
  state: 'running' | 'completed' | 'failed';
  startedAt: string;
}

export interface TickResult {
  /** Attempts started from this reply. */
  started: string[];
  /** Attempts stopped on the server's word, with the reason. */
  cancelled: Cancellation[];
  /** Finished attempts whose final report was acknowledged (no longer reported). */
  finished: string[];
}

export interface AgentRuntimeOptions {
  client: Pick<AgentClient, 'heartbeat'>;
  nodeToken: string;
  runner: Runner;
  /** Moves the leases' inputs, checkpoints and outputs (lib/agent/lease-data.ts). */
  data: LeaseData;
  clock: Clock;
  /** GPU telemetry for each heartbeat. */
  telemetry?: () => GpuTelemetry[] | Promise<GpuTelemetry[]>;
  agentVersion?: string;
  heartbeatIntervalMs?: number;
  /** Attempts per heartbeat request (the next heartbeat is never far away). */
  heartbeatAttempts?: number;
  /** Draws the heartbeats' jitter and the first heartbeat's offset (lib/agent/heartbeat-schedule.ts). */
  random?: () => number;
  /** The agent's own messages (starting, stopping, errors). */
  log?: (line: string) => void;
  /**
   * Answers benchmark challenges (lib/agent/benchmark.ts). Without one, challenges are answered `unsupported`:
   * the node is listed as declared, never verified.
   */
  benchmark?: BenchmarkEngine;
}

/** A benchmark challenge this node has started, until a reply no longer carries it. */
interface BenchmarkRun {
  challenge: BenchmarkChallenge;
  abort: AbortController;
  /** The latest phase's answer (ack, commit, reveal or unsupported); sent with every heartbeat until the next. */
  answer: BenchmarkAnswer | null;
  /** A heartbeat has carried the answer (the immediate one is then not needed). */
  offered: boolean;
  /** The computed proof, once committed. */
  proof: ProofRun | null;
  revealing: boolean;
}

/** The server refused the node token: nothing will work until the node registers again. */
export class NodeTokenRejectedError extends Error {
  constructor(readonly apiError: AgentApiError) {
    super(`The server refused this node's token (401: ${apiError.message}).`);
    this.name = 'NodeTokenRejectedError';
  }
}

/** Remembers the last `limit` ended attempts, so repeated assignments of them are ignored. */
class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly limit: number) {}
  add(item: string): void {
    this.items.delete(item);
    this.items.add(item);
    if (this.items.size > this.limit) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
  }
  has(item: string): boolean {
    return this.items.has(item);
  }
  clear(): void {
    this.items.clear();
  }
}

export class AgentRuntime {
  private readonly leases = new Map<string, Lease>();
  private readonly ended = new RecentSet(1_000);
  private readonly options: AgentRuntimeOptions;
  private intervalMs: number;
  private readonly pacer: HeartbeatPacer;
  private draining = false;
  private ticking: Promise<TickResult> | null = null;
  private lastReplyAt: Date | null = null;
  private benchmarkRun: BenchmarkRun | null = null;
  /** Challenges started here, so a repeated challenge is never run twice. */
  private readonly startedChallenges = new RecentSet(100);
  /** Bumped by stopAll and reset: a reply to a heartbeat sent before is ignored (its host is gone). */
  private generation = 0;

  constructor(options: AgentRuntimeOptions) {
    this.options = options;
    this.intervalMs = options.heartbeatIntervalMs ?? 5_000;
    this.pacer = new HeartbeatPacer({ random: options.random });
  }

  /** The heartbeat interval the server asked for in its last reply. */
  get heartbeatIntervalMs(): number {
    return this.intervalMs;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  get lastHeartbeatReplyAt(): Date | null {
    return this.lastReplyAt;
  }

  /** Leases this node holds right now (running, or finished and not yet acknowledged). */
  snapshot(): LeaseSnapshot[] {
    return [...this.leases.values()].map((lease) => ({
      attemptId: lease.assignment.attemptId,
      jobId: lease.assignment.jobId,
      template: lease.assignment.template,
      gpuIndexes: lease.assignment.gpuIndexes,
      progressUnits: lease.progressUnits,
      workUnits: lease.assignment.workUnits,
      state: this.reportState(lease),
      startedAt: lease.startedAt.toISOString(),
    }));
  }

  /** Take no new work; finish and report what runs. `run` returns once nothing is left. */
  drain(): void {
    this.draining = true;
  }

  /** One heartbeat: report, then act on the reply. Concurrent calls share one request. */
  tick(): Promise<TickResult> {
    this.ticking ??= this.heartbeat().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /**
   * Heartbeats every interval, with jitter, until `signal` aborts, or, when draining, until no lease is left.
   * The first heartbeat goes at a random point within one interval (`firstHeartbeat: 'spread'`, the default)
   * or at once (`'now'`: right after registering, when a person waits for the node to come online). A refused
   * token stops every workload and rejects with NodeTokenRejectedError; other failures are logged, the reports
   * kept for the next heartbeat, and the next try backs off (lib/agent/heartbeat-schedule.ts).
   */
  async run(
    signal: AbortSignal,
    sleep: (ms: number, signal: AbortSignal) => Promise<void>,
    options: { firstHeartbeat?: 'now' | 'spread' } = {},
  ): Promise<void> {
    if ((options.firstHeartbeat ?? 'spread') === 'spread')
      await sleep(this.pacer.firstDelayMs(this.intervalMs), signal);
    while (!signal.aborted) {
      const started = this.options.clock.now().getTime();
      let failure: string | null = null;
      try {
        await this.tick();
      } catch (error) {
        if (error instanceof NodeTokenRejectedError) {
          await this.stopAll();
          throw error;
        }
        failure = error instanceof Error ? error.message : String(error);
      }
      if (this.draining && this.leases.size === 0) return;
      const elapsed = this.options.clock.now().getTime() - started;
      const delay = this.pacer.nextDelayMs(this.intervalMs, elapsed, failure === null);
      if (failure !== null)
        this.say(`heartbeat failed: ${failure}; next try in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, signal);
    }
  }

  /** Stops every workload without reporting (the agent is going away); the server will fail them over. */
  async stopAll(): Promise<void> {
    this.generation += 1;
    this.dropBenchmark();
    const leases = [...this.leases.values()];
    this.leases.clear();
    for (const lease of leases) this.ended.add(lease.assignment.attemptId);
    await Promise.all(leases.map((lease) => lease.workload?.stop()));
    await Promise.all(leases.map((lease) => this.release(lease)));
  }

  /** Forgets everything, as a rebooted host would (the simulator's revive). Workloads must be stopped first. */
  reset(): void {
    this.generation += 1;
    this.leases.clear();
    this.ended.clear();
    this.dropBenchmark();
    this.startedChallenges.clear();
    this.draining = false;
    this.lastReplyAt = null;
  }

  private say(line: string): void {
    this.options.log?.(line);
  }

  private reportState(lease: Lease): LeaseReport['state'] {
    if (!lease.exit) return 'running';
    return lease.exit.exitCode === 0 && !lease.exit.error ? 'completed' : 'failed';
  }

  private async heartbeat(): Promise<TickResult> {
    const generation = this.generation;
    const sent: { lease: Lease; logCount: number; final: boolean }[] = [];
    const reports: LeaseReport[] = [];
    for (const lease of this.leases.values()) {
      lease.workload?.poll?.();
      if (lease.droppedLogs > 0) {
        lease.logs.unshift({
          at: this.options.clock.now().toISOString(),
          stream: 'agent',
          text: `${lease.droppedLogs} log lines were dropped while the server was unreachable`,
        });
        lease.droppedLogs = 0;
      }
      const logs = lease.logs.slice(0, MAX_LOGS_PER_REPORT);
      // The final state goes with the last batch of logs, so nothing printed at the end is lost.
      const final = lease.exit !== null && lease.logs.length <= MAX_LOGS_PER_REPORT;
      const state = final ? this.reportState(lease) : 'running';
      const report: LeaseReport = {
        attemptId: lease.assignment.attemptId,
        fencingToken: lease.assignment.fencingToken,
        state,
        progressUnits: lease.progressUnits,
        logs,
      };
      if (final && state === 'failed') {
        if (lease.exit?.exitCode !== null && lease.exit?.exitCode !== undefined)
          report.exitCode = lease.exit.exitCode;
        report.error = replaceUnstorable(
          (lease.exit?.error ?? `exited with code ${lease.exit?.exitCode}`).slice(0, 2_000),
        );
      } else if (final) {
        report.exitCode = 0;
        if (lease.result !== null) report.result = lease.result;
      }
      reports.push(report);
      sent.push({ lease, logCount: logs.length, final });
    }

    const telemetry = this.options.telemetry ? await this.options.telemetry() : [];
    const answer = this.benchmarkAnswer();
    let reply: HeartbeatResponse;
    try {
      reply = await this.options.client.heartbeat(
        this.options.nodeToken,
        {
          status: this.draining ? 'draining' : 'online',
          telemetry,
          leases: reports,
          ...(answer ? { benchmark: answer } : {}),
          agentVersion: this.options.agentVersion,
        },
        { maxAttempts: this.options.heartbeatAttempts ?? 2 },
      );
    } catch (error) {
      if (error instanceof AgentApiError && error.unauthorized) throw new NodeTokenRejectedError(error);
      if (error instanceof AgentApiError && error.refusedInput && generation === this.generation)
        this.repairRefusedReport(error, sent);
      throw error;
    }
    const result: TickResult = { started: [], cancelled: [], finished: [] };
    if (generation !== this.generation) return result;
    this.lastReplyAt = this.options.clock.now();
    this.intervalMs = reply.heartbeatIntervalMs;

    for (const { lease, logCount, final } of sent) {
      lease.logs.splice(0, logCount);
      if (final && this.leases.get(lease.assignment.attemptId) === lease) {
        this.leases.delete(lease.assignment.attemptId);
        this.ended.add(lease.assignment.attemptId);
        result.finished.push(lease.assignment.attemptId);
        void this.release(lease);
      }
    }

    for (const cancellation of reply.cancellations) {
      const lease = this.leases.get(cancellation.attemptId);
      this.ended.add(cancellation.attemptId);
      if (!lease) continue;
      this.leases.delete(cancellation.attemptId);
      result.cancelled.push(cancellation);
      this.say(
        `attempt ${cancellation.attemptId} cancelled by the server (${cancellation.reason}); stopping it`,
      );
      // Not awaited: the next heartbeat must not wait for a slow container to die.
      Promise.resolve(lease.workload?.stop())
        .catch((error: unknown) => {
          this.say(`stopping attempt ${cancellation.attemptId} failed: ${String(error)}`);
        })
        .finally(() => void this.release(lease));
    }

    for (const assignment of reply.assignments) {
      if (this.leases.has(assignment.attemptId) || this.ended.has(assignment.attemptId)) continue;
      if (this.draining) continue;
      this.start(assignment);
      result.started.push(assignment.attemptId);
    }
    this.followBenchmark(reply.benchmark);
    return result;
  }

  /**
   * The server refused a heartbeat's content (a 4xx naming the fields): sending it again unchanged would be
   * refused forever, and the node would fall silent. What the server named is dropped — a lease's pending log
   * lines or its error text — or, when it named nothing we can place, every lease's pending logs; a log line says what was dropped and why. Progress, state and the lease itself stay, so
   * the next heartbeat reports them.
   */
  private repairRefusedReport(error: AgentApiError, sent: { lease: Lease }[]): void {
    const named = error.fields
      .map((issue) => /^leases\.(\d+)\.(logs|error)\b/.exec(issue.field))
      .filter((match) => match !== null);
    const targets = named.length
      ? named.map((match) => ({ lease: sent[Number(match[1])]?.lease, part: match[2] as string }))
      : sent.map(({ lease }) => ({ lease, part: 'logs' }));
    for (const { lease, part } of targets) {
      if (!lease) continue;
      if (part === 'logs' && lease.logs.length) {
        const dropped = Math.min(lease.logs.length, MAX_LOGS_PER_REPORT);
        lease.logs.splice(0, dropped);
        lease.logs.unshift(
          this.logLine(
            'agent',
            `${dropped} log lines were refused by the server and dropped (${error.message})`,
          ),
        );
      } else if (part === 'error' && lease.exit?.error) {
        lease.exit = {
          ...lease.exit,
          error: 'the workload failed (its error text was refused by the server)',
        };
      }
    }
    this.say(`the server refused the heartbeat's content (${error.message}); dropped what it named`);
  }

  private logLine(stream: LogStream, text: string): LogLine {
    return {
      at: this.options.clock.now().toISOString(),
      stream,
      text: replaceUnstorable(text.slice(0, 4_000)),
    };
  }

  /** The proof's answer to send with this heartbeat (the latest phase, repeated until the next), if any. */
  private benchmarkAnswer(): BenchmarkAnswer | null {
    const run = this.benchmarkRun;
    if (!run?.answer) return null;
    run.offered = true;
    return run.answer;
  }

  /**
   * Acts on a reply's challenge: the one running ends once a reply no longer carries it (judged, expired or
   * withdrawn); a challenge not seen before starts; one that now names rounds to reveal gets them revealed.
   */
  private followBenchmark(challenge: BenchmarkChallenge | null): void {
    const run = this.benchmarkRun;
    if (run && run.challenge.challengeId !== challenge?.challengeId) {
      if (!run.answer || run.answer.phase === 'ack')
        this.say(`benchmark challenge ${run.challenge.challengeId} withdrawn by the server`);
      this.dropBenchmark();
    }
    if (challenge?.reveal && run && run.challenge.challengeId === challenge.challengeId) {
      this.startReveal(run, challenge.reveal);
      return;
    }
    if (!challenge || this.startedChallenges.has(challenge.challengeId) || this.draining) return;
    this.startedChallenges.add(challenge.challengeId);
    this.startBenchmark(challenge);
  }

  private startBenchmark(challenge: BenchmarkChallenge): void {
    const engine = this.options.benchmark;
    const { challengeId } = challenge;
    const run: BenchmarkRun = {
      challenge,
      abort: new AbortController(),
      answer: null,
      offered: false,
      proof: null,
      revealing: false,
    };
    this.benchmarkRun = run;
    if (!engine) {
      this.say(`benchmark challenge ${challengeId}: this agent has no GPU engine; answering unsupported`);
      // With the next regular heartbeat: nothing is timed, so there is no hurry.
      run.answer = { challengeId, phase: 'unsupported', reason: 'this agent has no benchmark engine' };
      return;
    }
    // The acknowledgement goes at once: the server's clock starts when it arrives, so latency is not counted.
    this.setAnswer(run, { challengeId, phase: 'ack' });
    this.say(
      `benchmark challenge ${challengeId}: GPU proof of ${challenge.rounds} round(s) of ${challenge.m}×${challenge.k} over ${challenge.lanes} GPU(s)`,
    );
    Promise.resolve()
      .then(() => engine(challenge, run.abort.signal))
      .then(
        (proof) => {
          if (this.benchmarkRun !== run) return;
          if (!/^[0-9a-f]{64}$/.test(proof.root)) {
            this.benchmarkRun = null;
            this.say(`benchmark challenge ${challengeId} produced a malformed root; not sent`);
            return;
          }
          run.proof = proof;
          this.setAnswer(run, { challengeId, phase: 'commit', root: proof.root });
        },
        (error: unknown) => {
          if (this.benchmarkRun !== run) return;
          if (error instanceof UnsupportedProofError) {
            this.say(`benchmark challenge ${challengeId}: unsupported here (${error.message})`);
            this.setAnswer(run, { challengeId, phase: 'unsupported', reason: error.message.slice(0, 500) });
            return;
          }
          this.benchmarkRun = null;
          this.say(`benchmark challenge ${challengeId} failed: ${errorText(error)}`);
        },
      );
  }

  /** Reveals the rounds the server named (untimed), once per challenge. */
  private startReveal(run: BenchmarkRun, rounds: number[]): void {
    const proof = run.proof;
    if (!proof || run.revealing) return;
    run.revealing = true;
    const { challengeId } = run.challenge;
    this.say(`benchmark challenge ${challengeId}: revealing round(s) ${rounds.join(', ')}`);
    proof.reveal(rounds, run.abort.signal).then(
      (reveals) => {
        if (this.benchmarkRun !== run) return;
        const answer = benchmarkAnswerSchema.safeParse({ challengeId, phase: 'reveal', reveals });
        if (!answer.success) {
          // A malformed answer would make the server refuse the whole heartbeat, leases and all.
          this.benchmarkRun = null;
          this.say(`benchmark challenge ${challengeId} produced a malformed reveal; not sent`);
          return;
        }
        this.setAnswer(run, answer.data);
      },
      (error: unknown) => {
        if (this.benchmarkRun !== run) return;
        this.benchmarkRun = null;
        this.say(`benchmark challenge ${challengeId}: revealing failed: ${errorText(error)}`);
      },
    );
  }

  /** Keeps the phase's answer (sent with every heartbeat until the next phase) and sends it at once. */
  private setAnswer(run: BenchmarkRun, answer: BenchmarkAnswer): void {
    run.answer = answer;
    run.offered = false;
    void this.sendBenchmarkAnswer(run);
  }

  /** One heartbeat carrying the answer now; when it fails, the answer goes with the next regular one. */
  private async sendBenchmarkAnswer(run: BenchmarkRun): Promise<void> {
    // A heartbeat in flight was built before the answer existed: let it finish, then send one that has it.
    await this.ticking?.catch(() => undefined);
    if (this.benchmarkRun !== run || run.offered) return;
    try {
      await this.tick();
    } catch (error) {
      this.say(`heartbeat with the benchmark answer failed (${errorText(error)}); it goes with the next one`);
    }
  }

  private dropBenchmark(): void {
    this.benchmarkRun?.abort.abort();
    this.benchmarkRun = null;
  }

  private start(assignment: Assignment): void {
    const lease: Lease = {
      assignment,
      workload: null,
      progressUnits: assignment.resumeFrom.units,
      queuedCheckpoint: null,
      uploading: null,
      finishing: false,
      abort: new AbortController(),
      busy: [],
      logs: [],
      droppedLogs: 0,
      result: null,
      exit: null,
      startedAt: this.options.clock.now(),
    };
    this.leases.set(assignment.attemptId, lease);
    const held = () => this.leases.get(assignment.attemptId) === lease;
    const live = () => held() && lease.exit === null && !lease.finishing;
    const push = (stream: LogStream, text: string) => {
      // Storable as sent: NUL and unpaired surrogates (a line cut mid-character) become U+FFFD.
      lease.logs.push(this.logLine(stream, text));
      if (lease.logs.length > MAX_BUFFERED_LOGS) {
        lease.logs.shift();
        lease.droppedLogs += 1;
      }
    };
    const sink: WorkloadSink = {
      progress: (units) => {
        if (live()) lease.progressUnits = Math.max(lease.progressUnits, units);
      },
      checkpoint: (units, ref) => {
        if (!live()) return;
        if (!isStorable(ref)) {
          push('agent', 'ignored a checkpoint whose reference is not valid text');
          return;
        }
        lease.queuedCheckpoint = { units, ref };
        lease.progressUnits = Math.max(lease.progressUnits, units);
        this.pumpCheckpoints(lease, push);
      },
      result: (digest) => {
        if (!live()) return;
        // Checked here too: a malformed digest would make the server refuse the whole heartbeat.
        if (RESULT_DIGEST.test(digest)) lease.result = digest;
        else push('agent', 'ignored a result that is not 64 lowercase hex characters');
      },
      log: (stream, text) => {
        if (live()) push(stream, text);
      },
      exit: (result) => {
        if (!live()) return;
        if (result.exitCode !== 0 || result.error) {
          lease.exit = result;
          push('agent', `workload failed: ${result.error ?? `exit code ${result.exitCode}`}`);
          return;
        }
        push('agent', 'workload exited with code 0; uploading its outputs');
        lease.finishing = true;
        lease.busy.push(this.finishClean(lease, push, held));
      },
    };
    const resume =
      assignment.resumeFrom.units > 0 ? ` resuming from ${assignment.resumeFrom.units} units` : '';
    this.say(
      `starting attempt ${assignment.attemptId} of job ${assignment.jobId} (${assignment.template}) on GPUs ` +
        `${assignment.gpuIndexes.join(',')} with the ${this.options.runner.name} runner${resume}`,
    );
    push(
      'agent',
      `starting on GPUs ${assignment.gpuIndexes.join(',')} (${this.options.runner.name} runner)${resume}`,
    );
    const fetching = assignment.inputs.length + (assignment.resumeFrom.checkpoint ? 1 : 0);
    if (fetching) push('agent', `downloading ${fetching} file(s) (inputs and checkpoint) and verifying them`);
    const preparing = Promise.resolve().then(() => this.options.data.prepare(assignment, lease.abort.signal));
    lease.busy.push(preparing.catch(() => undefined));
    preparing
      .then(
        () => {
          if (!live()) return null;
          if (fetching) push('agent', `downloaded and verified ${fetching} file(s)`);
          return this.options.runner.start(assignment, sink);
        },
        (error: unknown) => {
          sink.exit({ exitCode: null, error: `could not fetch the inputs: ${errorText(error)}` });
          return null;
        },
      )
      .then(
        (workload) => {
          if (!workload) return;
          if (held()) lease.workload = workload;
          // Cancelled while it was starting: stop it now.
          else void workload.stop();
        },
        (error: unknown) => sink.exit({ exitCode: null, error: `could not start: ${errorText(error)}` }),
      );
  }

  /** Uploads the newest announced checkpoint, one at a time; a newer one announced meanwhile goes next. */
  private pumpCheckpoints(lease: Lease, push: (stream: LogStream, text: string) => void): void {
    if (lease.uploading || !lease.queuedCheckpoint) return;
    const { units, ref } = lease.queuedCheckpoint;
    lease.queuedCheckpoint = null;
    lease.uploading = this.options.data
      .uploadCheckpoint(lease.assignment, units, ref)
      .then(
        ({ kept }) =>
          push(
            'agent',
            kept
              ? `checkpoint ${ref} (${units} units) uploaded and kept`
              : `checkpoint ${ref} (${units} units) uploaded; an earlier one already covers it`,
          ),
        (error: unknown) =>
          push('agent', `checkpoint ${ref} was not kept: ${errorText(error)}; the next one will be tried`),
      )
      .finally(() => {
        lease.uploading = null;
        if (this.leases.get(lease.assignment.attemptId) === lease) this.pumpCheckpoints(lease, push);
      });
  }

  /** A clean exit: the last checkpoint upload settles, the outputs go up, and only then is it completed. */
  private async finishClean(
    lease: Lease,
    push: (stream: LogStream, text: string) => void,
    held: () => boolean,
  ): Promise<void> {
    let exit: WorkloadExit;
    try {
      while (lease.uploading) await lease.uploading;
      const count = await this.options.data.uploadOutputs(lease.assignment, (text) => {
        if (held()) push('agent', text);
      });
      exit = { exitCode: 0 };
      if (held()) push('agent', `uploaded ${count} output file(s); the marketplace acknowledged each`);
    } catch (error) {
      exit = { exitCode: null, error: `the outputs could not be uploaded: ${errorText(error)}` };
      if (held()) push('agent', `workload failed: ${exit.error}`);
    }
    lease.exit = exit;
  }

  /** Frees what a lease left on this node, once it is over here and nothing of it is still moving. */
  private async release(lease: Lease): Promise<void> {
    lease.abort.abort();
    try {
      await Promise.all(lease.busy);
      await lease.uploading;
      await this.options.data.release(lease.assignment);
    } catch (error) {
      this.say(`cleaning up attempt ${lease.assignment.attemptId} failed: ${errorText(error)}`);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
