import { MS_PER_DAY, MS_PER_HOUR } from '@/lib/clock';
import {
  CUSTOMER_PROFILES,
  customerProfile,
  monthIndex,
  type HistoryCustomer,
} from '@/simulator/history/customers';
import type { SimulationConfig } from '@/simulator/history/history-types';
import type { HistoryNode } from '@/simulator/history/network';
import { poisson, streamRng } from '@/simulator/history/streams';
import { meanGpuHours } from '@/simulator/history/workloads';
import type { Rng } from '@/lib/random';

/**
 * How much the demo history's customers launch: each active customer's jobs per day (its kind's rate, its
 * month's activity, weekdays against weekends) times one network-wide scale, sized to the network so that
 * the span's last weeks use about a target share of the verified GPU-time.
 */

/** Sized so the history's last weeks keep about this share of verified GPU-time paid. */
export const DEFAULT_TARGET_UTILIZATION = 0.42;
/**
 * GPU-hours a GPU-hour of planned work takes on the hardware the scheduler picks (a job sized for an RTX 4090
 * may land on a slower RTX 3090, one sized for an H100 on an A100): measured on the demo network, used to size
 * demand.
 */
const GPU_HOURS_PER_PLANNED_HOUR = 1.25;

/** The factor on every customer's rate that makes the last two weeks' demand the target share of supply. */
export function demandScale(
  nodes: readonly HistoryNode[],
  customers: readonly HistoryCustomer[],
  config: Pick<SimulationConfig, 'seed' | 'from' | 'to' | 'targetUtilization'>,
): number {
  const { from, to } = config;
  const windowStart = Math.max(from, to - 14 * MS_PER_DAY);
  let gpuMs = 0;
  for (const node of nodes) {
    if (node.verifiedFrom === null) continue;
    const start = Math.max(windowStart, node.verifiedFrom);
    for (const [s, e] of node.up) gpuMs += Math.max(0, Math.min(e, to) - Math.max(s, start)) * node.gpuCount;
  }
  const supplyPerDay = gpuMs / MS_PER_HOUR / ((to - windowStart) / MS_PER_DAY);
  const calibration = streamRng(config.seed, 'calibration');
  const mean = new Map(CUSTOMER_PROFILES.map((p) => [p.kind, meanGpuHours(calibration, p.kind)]));
  const lastMonth = monthIndex(from, to - 1);
  let demandPerDay = 0;
  for (const c of customers)
    demandPerDay +=
      c.jobsPerDay * (c.activity[lastMonth] ?? 0) * (mean.get(c.kind) ?? 0) * GPU_HOURS_PER_PLANNED_HOUR;
  const target = (config.targetUtilization ?? DEFAULT_TARGET_UTILIZATION) * supplyPerDay;
  return demandPerDay > 0 ? target / demandPerDay : 1;
}

export interface Launch {
  at: number;
  customer: HistoryCustomer;
}

/**
 * The launches of day `day`, in time order: for each customer active that month (by customer number), a
 * Poisson number of jobs spread over the part of the day it was a customer. Drawn from the day's own stream.
 */
export function dayLaunches(
  config: Pick<SimulationConfig, 'seed' | 'from'> & { to?: number },
  day: number,
  customers: readonly HistoryCustomer[],
  scale: number,
): Launch[] {
  const start = config.from + day * MS_PER_DAY;
  // The span's last day ends where the span does.
  const end = Math.min(start + MS_PER_DAY, config.to ?? Infinity);
  const rng = streamRng(config.seed, 'arrivals', day);
  const month = monthIndex(config.from, start);
  const weekday = new Date(start).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const launches: Launch[] = [];
  for (const c of [...customers].sort((a, b) => a.index - b.index)) {
    const activity = c.activity[month] ?? 0;
    if (activity <= 0 || c.joinAt >= end) continue;
    const since = Math.max(start, c.joinAt);
    const profile = customerProfile(c.kind);
    // Weekdays and weekends in the kind's proportion, averaging to the daily rate over a week.
    const week = weekend ? profile.weekend : (7 - 2 * profile.weekend) / 5;
    const mean = c.jobsPerDay * activity * scale * week * ((end - since) / MS_PER_DAY);
    for (let k = poisson(rng, mean); k > 0; k--)
      launches.push({ at: timeOfDay(rng, since, end), customer: c });
  }
  return launches.sort((a, b) => a.at - b.at);
}

/** A launch time in [from, to): more during the (UTC) working day than at night. */
function timeOfDay(rng: Rng, from: number, to: number): number {
  for (;;) {
    const at = from + Math.floor(rng.next() * (to - from));
    const hour = (at % MS_PER_DAY) / MS_PER_HOUR;
    const weight = 0.55 + 0.45 * Math.sin(((hour - 6) / 24) * 2 * Math.PI);
    if (rng.next() < weight) return at;
  }
}
