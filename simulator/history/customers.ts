import { createHash } from 'node:crypto';
import { MS_PER_DAY } from '@/lib/clock';
import type { Rng } from '@/lib/random';
import { logNormal, streamRng } from '@/simulator/history/streams';

/**
 * The demo history's customers: accounts that sign up over the span — more each month, as a growing
 * marketplace would have them — each of a kind that sets how much it runs and how it behaves month to month.
 * Some leave after trying it (most of those after their first month), some pause and come back, the ones that
 * stay grow their spending. Everything is drawn from the seed, per customer, so the plan is a pure function
 * of (seed, span, count) — the cohort charts tell what this model does, nothing is typed in.
 */

export type CustomerKind = 'hobbyist' | 'startup' | 'lab' | 'enterprise';

export interface CustomerProfile {
  kind: CustomerKind;
  /** Share of sign-ups. */
  share: number;
  /** Median jobs per day of a customer of this kind at sign-up; customers spread log-normally around it. */
  jobsPerDay: number;
  jobsSpread: number;
  /** Chance of leaving for good at the first month boundary after signing up, and at each one after. */
  firstChurn: number;
  churn: number;
  /** Monthly chance of pausing, and how many whole months a pause lasts. */
  pause: number;
  pauseMonths: readonly [number, number];
  /** Median factor a staying customer's activity changes by each month, and its spread (σ of the log). */
  growth: number;
  growthSpread: number;
  /** Weekend activity relative to weekdays. */
  weekend: number;
  /** First deposit, USD, drawn log-normally around this median. */
  firstDepositUsd: number;
}

export const CUSTOMER_PROFILES: readonly CustomerProfile[] = [
  {
    kind: 'hobbyist',
    share: 0.5,
    jobsPerDay: 0.1,
    jobsSpread: 0.6,
    firstChurn: 0.45,
    churn: 0.14,
    pause: 0.12,
    pauseMonths: [1, 3],
    growth: 1.0,
    growthSpread: 0.25,
    weekend: 1.6,
    firstDepositUsd: 40,
  },
  {
    kind: 'startup',
    share: 0.3,
    jobsPerDay: 0.3,
    jobsSpread: 0.5,
    firstChurn: 0.25,
    churn: 0.07,
    pause: 0.06,
    pauseMonths: [1, 2],
    growth: 1.1,
    growthSpread: 0.2,
    weekend: 0.5,
    firstDepositUsd: 500,
  },
  {
    kind: 'lab',
    share: 0.15,
    jobsPerDay: 0.5,
    jobsSpread: 0.5,
    firstChurn: 0.15,
    churn: 0.04,
    pause: 0.1,
    pauseMonths: [1, 2],
    growth: 1.04,
    growthSpread: 0.2,
    weekend: 0.7,
    firstDepositUsd: 2_000,
  },
  {
    kind: 'enterprise',
    share: 0.05,
    jobsPerDay: 1.0,
    jobsSpread: 0.4,
    firstChurn: 0.08,
    churn: 0.02,
    pause: 0.02,
    pauseMonths: [1, 1],
    growth: 1.12,
    growthSpread: 0.12,
    weekend: 0.4,
    firstDepositUsd: 10_000,
  },
];

export function customerProfile(kind: CustomerKind): CustomerProfile {
  const found = CUSTOMER_PROFILES.find((p) => p.kind === kind);
  if (!found) throw new Error(`Unknown customer kind ${kind}`);
  return found;
}

export interface HistoryCustomer {
  index: number;
  id: string;
  walletAddress: string;
  displayName: string;
  kind: CustomerKind;
  joinAt: number;
  /** Jobs per day while fully active, before the network-wide demand scale. */
  jobsPerDay: number;
  /**
   * Activity per calendar month of the span (index 0 = the month `fromAt` falls in): 0 before signing up,
   * while paused and after leaving; otherwise the factor on `jobsPerDay`, 1 in the month of signing up.
   */
  activity: number[];
  /** First month index without activity for good (left), or null when still a customer at the end. */
  churnedMonth: number | null;
}

/** Index of the UTC calendar month holding `at`, counted from the month holding `from`. */
export function monthIndex(from: number, at: number): number {
  const a = new Date(from);
  const b = new Date(at);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

/** Start of the UTC calendar month `index` months after the one holding `from`. */
export function monthStart(from: number, index: number): number {
  const a = new Date(from);
  return Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + index, 1);
}

const HOBBYIST_NAMES = ['Maya', 'Jonas', 'Priya', 'Tomás', 'Aiko', 'Lena', 'Omar', 'Sven', 'Nia', 'Kai'];
const INITIALS = 'ABCDEFGHJKLMNOPRSTVWZ';
const WORDS = [
  'Orchid',
  'Kestrel',
  'Basalt',
  'Lumen',
  'Quill',
  'Tern',
  'Cobalt',
  'Juniper',
  'Vector',
  'Halcyon',
  'Fathom',
  'Larch',
  'Meridian',
  'Sable',
  'Nimbus',
  'Pylon',
];
const FIELDS = ['Vision', 'Language', 'Robotics', 'Genomics', 'Climate', 'Speech', 'Materials'];
const SUFFIX: Record<Exclude<CustomerKind, 'hobbyist' | 'lab'>, readonly string[]> = {
  startup: ['AI', 'Labs', 'Robotics', 'Health', 'Studio'],
  enterprise: ['Systems', 'Group', 'Media', 'Analytics'],
};

function displayName(rng: Rng, kind: CustomerKind, index: number): string {
  const n = String(index + 1).padStart(3, '0');
  switch (kind) {
    case 'hobbyist':
      return `${rng.pick(HOBBYIST_NAMES)} ${rng.pick([...INITIALS])}. (${n})`;
    case 'lab':
      return `${rng.pick(WORDS)} ${rng.pick(FIELDS)} Lab (${n})`;
    default:
      return `${rng.pick(WORDS)} ${rng.pick(SUFFIX[kind])} (${n})`;
  }
}

/** A wallet-shaped address derived from the seed and the customer's number: the same on every machine. */
export function historyCustomerWallet(seed: number, index: number): string {
  return `0x${createHash('sha256').update(`backfill demo history customer ${seed}:${index}`).digest('hex').slice(0, 40)}`;
}

/** Share of the customers who sign up in the first two weeks: the launch's early adopters. */
const LAUNCH_SHARE = 0.06;

/**
 * When customer `index` of `count` signs up: a few in the first two weeks, the others spread over the span
 * with sign-ups picking up as the network grows (the share signed up by a point of the span grows as its
 * position to the power 1.5), one per stratum so the count per month is steady for a seed; never on the
 * last day.
 */
function joinTime(rng: Rng, index: number, count: number, from: number, to: number): number {
  const u = (index + rng.next()) / count;
  const launch = Math.min(14 * MS_PER_DAY, (to - from) / 4);
  const at =
    u < LAUNCH_SHARE
      ? from + (u / LAUNCH_SHARE) * launch
      : from + launch + ((u - LAUNCH_SHARE) / (1 - LAUNCH_SHARE)) ** (1 / 1.5) * (to - from - launch);
  return Math.min(to - MS_PER_DAY, Math.floor(at));
}

/**
 * Plans customer `index`: who it is, when it signs up and how active it is each month. Pure and independent
 * of the other customers (its own random stream).
 */
export function planCustomer(
  seed: number,
  index: number,
  count: number,
  from: number,
  to: number,
): HistoryCustomer {
  const rng = streamRng(seed, 'customer', index);
  const roll = rng.next();
  let acc = 0;
  let profile = CUSTOMER_PROFILES[0] as CustomerProfile;
  for (const p of CUSTOMER_PROFILES) {
    acc += p.share;
    if (roll < acc) {
      profile = p;
      break;
    }
  }
  const id = rng.uuid();
  const joinAt = joinTime(rng, index, count, from, to);
  const months = monthIndex(from, to - 1) + 1;
  const joinMonth = monthIndex(from, joinAt);
  const activity = new Array<number>(months).fill(0);
  let level = 1;
  let pausedFor = 0;
  let churnedMonth: number | null = null;
  for (let m = joinMonth; m < months; m++) {
    if (m > joinMonth) {
      if (pausedFor > 0) {
        pausedFor--;
        if (pausedFor > 0) continue;
      } else {
        const churn = m === joinMonth + 1 ? profile.firstChurn : profile.churn;
        if (rng.next() < churn) {
          churnedMonth = m;
          break;
        }
        if (rng.next() < profile.pause) {
          pausedFor = rng.int(...profile.pauseMonths);
          continue;
        }
        level *= logNormal(rng, profile.growth, profile.growthSpread);
      }
    }
    activity[m] = level;
  }
  return {
    index,
    id,
    walletAddress: historyCustomerWallet(seed, index),
    displayName: displayName(rng, profile.kind, index),
    kind: profile.kind,
    joinAt,
    jobsPerDay: logNormal(rng, profile.jobsPerDay, profile.jobsSpread),
    activity,
    churnedMonth,
  };
}

/** Every customer of the history, in sign-up order. */
export function planCustomers(seed: number, count: number, from: number, to: number): HistoryCustomer[] {
  return Array.from({ length: count }, (_, i) => planCustomer(seed, i, count, from, to)).sort(
    (a, b) => a.joinAt - b.joinAt || a.index - b.index,
  );
}
