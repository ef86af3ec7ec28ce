import type { AttemptPlan, Timing } from '@/simulator/history/attempts';
import type { HistoryCustomer } from '@/simulator/history/customers';
import type { HistoryNode } from '@/simulator/history/network';
import type { HistoryPayout } from '@/simulator/history/payouts';
import type { PlannedHistoryJob } from '@/simulator/history/workloads';

/** What the demo history's simulation is given, and what it hands over to be written, day by day. */

export interface SimulationConfig {
  seed: number;
  from: number;
  to: number;
  customers: number;
  timing: Timing;
  /** Placements a job gets before it fails for lack of a host that stays up. */
  maxAttempts: number;
  /** Utilization of verified supply the demand is sized for at the end of the span. */
  targetUtilization?: number;
  /** What is still going at the end: handed to the live queue (true, the default) or cancelled. */
  handover?: boolean;
}

export type JobFinalState = 'succeeded' | 'failed' | 'cancelled' | 'out_of_budget';
/** How a history job is left: ended, or `queued` — still going when the history ended, handed to the live network. */
export type JobLifeState = JobFinalState | 'queued';

export interface AttemptLife extends AttemptPlan {
  node: HistoryNode;
  gpuIndexes: number[];
}

export interface JobLife {
  seq: number;
  customer: HistoryCustomer;
  planned: PlannedHistoryJob;
  launchAt: number;
  attempts: AttemptLife[];
  state: JobLifeState;
  /** When it ended, or when it was handed over (the history's end). */
  endedAt: number;
  /** For a crashed workload: the error it printed. */
  error: string | null;
  chargedMicros: bigint;
}

export interface HistoryDeposit {
  customer: HistoryCustomer;
  at: number;
  amountMicros: bigint;
  /** The customer's 1st, 2nd… deposit: part of its idempotency key. */
  number: number;
}

export interface HistoryDay {
  index: number;
  start: number;
  end: number;
  joined: HistoryCustomer[];
  deposits: HistoryDeposit[];
  /** The demo suppliers' withdrawals asked for this day, in time order (made when enough is payable). */
  payouts: HistoryPayout[];
  /** The jobs launched this day, whole lives, in launch order. */
  jobs: JobLife[];
}
