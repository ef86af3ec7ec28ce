import { basename } from 'node:path';
import { processTreeByStat, readCommandLine, readPssBytes } from '@/scripts/bench/lib/proc';

/** What each process of `npm start`'s tree is: the supervisor and anything unrecognised are "other". */
export type StackRole = 'web' | 'chain' | 'fleet' | 'postgres' | 'other';
export const STACK_ROLES: readonly StackRole[] = ['web', 'chain', 'fleet', 'postgres', 'other'];

/** The design notes' memory target: the whole embedded stack within 1.2 GiB at every sample. */
export const TOTAL_TARGET_BYTES = 1.2 * 2 ** 30;
/**
 * "No growth trend", made a number: after the warm-up, the least-squares trend of the total may add at most
 * 5 % of its mean an hour (about 40 MiB/h for an 800 MiB stack) — noise, not a leak.
 */
export const GROWTH_TOLERANCE_PER_HOUR = 0.05;
/** Samples in the first 10 minutes (or the first half of a shorter run) are the warm-up. */
export const WARM_UP_MINUTES = 10;
/** Shorter runs print their trend but cannot show the absence of one. */
export const CONCLUSIVE_MINUTES = 30;

export interface ProcessMemory {
  pid: number;
  role: StackRole;
  pssBytes: number;
  command: string;
}

export interface MemorySample {
  /** Minutes since the stack answered. */
  minutes: number;
  at: string;
  /** The demo history's state then (`generating 42 %`, `complete`), as `GET /api/v1/metrics/history` said. */
  history?: string;
  totalBytes: number;
  byRole: Record<StackRole, { bytes: number; processes: number }>;
  processes: ProcessMemory[];
}

/** The role a command line names by itself, or null (a process then takes its parent's). */
export function roleOfCommand(command: string): StackRole | null {
  const words = command.split(' ');
  if (words.some((w) => w.endsWith('scripts/serve.ts'))) return 'web';
  if (words.some((w) => w.endsWith('scripts/fleet.ts'))) return 'fleet';
  const program = basename(words[0] ?? '');
  if (program === 'anvil' || words.some((w) => basename(w) === 'anvil')) return 'chain';
  if (program === 'postgres' || program === 'postmaster') return 'postgres';
  return null;
}

/**
 * Proportional set size of every process in the tree of `root` (the supervisor), each labelled by what it is;
 * a wrapper's child (tsx starts Node again) takes the wrapper's label. `startedAt` is `performance.now()` when
 * the stack answered.
 */
export function sampleStackMemory(root: number, startedAt: number): MemorySample {
  const roles = new Map<number, StackRole>();
  const processes: ProcessMemory[] = [];
  for (const { pid, parent } of processTreeByStat(root)) {
    const command = readCommandLine(pid);
    const role = roleOfCommand(command) ?? (parent === null ? 'other' : (roles.get(parent) ?? 'other'));
    roles.set(pid, role);
    const pssBytes = readPssBytes(pid);
    // 0: it exited between the walk and the read.
    if (pssBytes > 0) processes.push({ pid, role, pssBytes, command });
  }
  const byRole = Object.fromEntries(STACK_ROLES.map((r) => [r, { bytes: 0, processes: 0 }])) as Record<
    StackRole,
    { bytes: number; processes: number }
  >;
  for (const p of processes) {
    byRole[p.role].bytes += p.pssBytes;
    byRole[p.role].processes += 1;
  }
  return {
    minutes: (performance.now() - startedAt) / 60_000,
    at: new Date().toISOString(),
    totalBytes: processes.reduce((sum, p) => sum + p.pssBytes, 0),
    byRole,
    processes,
  };
}

/** Least-squares slope of `y` against `x` (per unit of x); null with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  return sxx === 0 ? null : sxy / sxx;
}

const MIB = 2 ** 20;

export interface SoakVerdict {
  samples: number;
  maxTotalMiB: number;
  firstTotalMiB: number;
  lastTotalMiB: number;
  meanTotalMiB: number;
  /** Least squares over every sample. */
  trendMiBPerHour: number | null;
  /** Least squares over the samples after the warm-up: what the growth target is judged on. */
  warmUpMinutes: number;
  trendAfterWarmUpMiBPerHour: number | null;
  toleranceMiBPerHour: number;
  targets: {
    /** ≤ 1.2 GiB total at every sample. */
    totalWithinTarget: boolean;
    /** No growth beyond the tolerance after the warm-up (null: a run too short, or too few samples, to say). */
    noGrowthTrend: boolean | null;
    /** Whether the run was long enough for the trend to mean anything. */
    conclusive: boolean;
  };
}

/** The figures and targets of a run's samples. */
export function judgeSoak(samples: readonly MemorySample[], runMinutes: number): SoakVerdict {
  const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;
  const totals = samples.map((s) => s.totalBytes);
  const meanBytes = totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length);
  const perHour = (from: number) => {
    const slope = leastSquaresSlope(
      samples.filter((s) => s.minutes >= from).map((s) => ({ x: s.minutes / 60, y: s.totalBytes / MIB })),
    );
    return slope === null ? null : Math.round(slope * 10) / 10;
  };
  const warmUpMinutes = Math.min(WARM_UP_MINUTES, runMinutes / 2);
  const trendAfterWarmUp = perHour(warmUpMinutes);
  const tolerance = (meanBytes / MIB) * GROWTH_TOLERANCE_PER_HOUR;
  return {
    samples: samples.length,
    maxTotalMiB: mib(Math.max(0, ...totals)),
    firstTotalMiB: mib(totals[0] ?? 0),
    lastTotalMiB: mib(totals.at(-1) ?? 0),
    meanTotalMiB: mib(meanBytes),
    trendMiBPerHour: perHour(0),
    warmUpMinutes,
    trendAfterWarmUpMiBPerHour: trendAfterWarmUp,
    toleranceMiBPerHour: Math.round(tolerance * 10) / 10,
    targets: {
      totalWithinTarget: totals.every((t) => t <= TOTAL_TARGET_BYTES),
      noGrowthTrend:
        trendAfterWarmUp === null || runMinutes < CONCLUSIVE_MINUTES ? null : trendAfterWarmUp <= tolerance,
      conclusive: runMinutes >= CONCLUSIVE_MINUTES,
    },
  };
}
