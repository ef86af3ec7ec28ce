import { estimatedHours } from '@/lib/jobs/templates';

/** A node able to run a job now, as the scheduler and the quote see it. */
export interface Candidate {
  gpuModel: string;
  priceMicros: bigint;
  /** Share of the last 30 days up, basis points. */
  reliabilityBp: number;
  verified: boolean;
}

/**
 * Expected cost of a job on a candidate: its price for the estimated hours on that model, divided by the
 * chance of finishing without losing work (reliability; floored so a flaky node is costly, not infinite).
 * Unverified hardware counts as 10 % less reliable. Lower is better.
 */
export function expectedCostMicros(
  candidate: Candidate,
  job: { template: string; gpuCount: number; workUnits: number },
): number {
  const hours = estimatedHours(job.template, candidate.gpuModel, job.gpuCount, job.workUnits);
  const price = Number(candidate.priceMicros) * job.gpuCount * hours;
  const reliability = Math.max(0.25, candidate.reliabilityBp / 10_000) * (candidate.verified ? 1 : 0.9);
  return price / reliability;
}

/** Cost of `ms` of running on `gpuCount` GPUs at a price per GPU-hour, in micros, rounded down. */
export function costOfMs(ms: number, gpuCount: number, pricePerGpuHourMicros: bigint): bigint {
  return (BigInt(Math.max(0, Math.floor(ms))) * BigInt(gpuCount) * pricePerGpuHourMicros) / 3_600_000n;
}
