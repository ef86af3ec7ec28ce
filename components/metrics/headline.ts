import {
  formatDay,
  formatDuration,
  formatMonth,
  formatQuantity,
  formatRatio,
  formatShare,
  shiftMonth,
} from '@/components/metrics/format';
import { formatInteger } from '@/lib/format';
import type { MetricId } from '@/lib/metrics/definitions';
import type { MetricsHeadline } from '@/lib/metrics/schemas';
import { formatUsd } from '@/lib/money';

export type HeadlineId =
  | 'paidGpuHours'
  | 'paidDemand'
  | 'incentives'
  | 'subsidyRatio'
  | 'fees'
  | 'incentivesToFees'
  | 'margin'
  | 'takeRate'
  | 'selfDealt'
  | 'jobSuccessRate'
  | 'timeToScheduleP50'
  | 'payingCustomers'
  | 'netRevenueRetention12m'
  | 'netRevenueRetentionYearAgo'
  | 'netRevenueRetention'
  | 'verifiedGpusOnline';

export interface HeadlineFigure {
  id: HeadlineId;
  label: string;
  value: string;
  hint: string;
  /** The section of the metrics page that charts this figure over time. */
  metric: MetricId;
}

export interface HeadlineGroup {
  id: 'window' | 'month' | 'now';
  title: string;
  figures: HeadlineFigure[];
}

/**
 * The headline figures as the pages write them, from the summary the API serves (`GET /api/v1/metrics`): the
 * trailing 30 days, the latest complete month, and the network right now. The home page shows a selection.
 */
export function headlineGroups(h: MetricsHeadline): HeadlineGroup[] {
  const window = `${formatDay(h.windowFrom)} – ${formatDay(h.windowTo)}`;
  const month = formatMonth(h.month);
  const previous = formatMonth(shiftMonth(h.month, -1));
  const yearAgo = formatMonth(shiftMonth(h.month, -12));
  const since = h.recordsFrom ? ` The network’s records begin on ${formatDay(h.recordsFrom)}.` : '';
  const margin = BigInt(h.marginMicros);
  return [
    {
      id: 'window',
      title: `Last 30 days (${window}, UTC)`,
      figures: [
        {
          id: 'paidGpuHours',
          label: 'Paid GPU-hours',
          value: formatQuantity(h.paidGpuHours, 1),
          hint: 'GPU-time customers were charged for.',
          metric: 'paid-gpu-hours',
        },
        {
          id: 'paidDemand',
          label: 'Paid demand',
          value: formatUsd(h.paidDemandMicros),
          hint: 'USDC charged to customers.',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'incentives',
          label: 'Incentives',
          value: formatUsd(h.incentiveUsdMicros),
          hint: 'Tokens emitted to suppliers, in USD at emission.',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'subsidyRatio',
          label: 'Subsidy ratio',
          value: formatRatio(h.subsidyRatio),
          hint: 'Incentives ÷ paid demand; below 1, customers pay for more than the token does.',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'fees',
          label: 'Platform fees',
          value: formatUsd(h.feeMicros),
          hint: 'What the network earned: the fee side of every charge.',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'incentivesToFees',
          label: 'Incentives ÷ fees',
          value: formatRatio(h.incentivesToFees),
          hint: 'Above 1, the network spends more on incentives than it earns in fees.',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'margin',
          label: 'Network margin',
          value: formatUsd(h.marginMicros),
          hint:
            margin < 0n
              ? 'Fees − incentives: negative, the network spends more on incentives than it earns in fees.'
              : 'Fees − incentives (USD at the configured reference price).',
          metric: 'demand-vs-incentives',
        },
        {
          id: 'takeRate',
          label: 'Take rate',
          value: formatShare(h.takeRate),
          hint: 'Platform fees ÷ amount charged.',
          metric: 'take-rate',
        },
        {
          id: 'jobSuccessRate',
          label: 'Job success rate',
          value: formatShare(h.jobSuccessRate),
          hint: `Of ${formatInteger(h.jobsEnded)} customer jobs ended, succeeded or recovered from a host failure.`,
          metric: 'job-outcomes',
        },
        {
          id: 'timeToScheduleP50',
          label: 'Time to schedule, p50',
          value: formatDuration(h.timeToScheduleP50Seconds),
          hint: 'Median wait from launch to first placement.',
          metric: 'time-to-schedule',
        },
        {
          id: 'selfDealt',
          label: 'Self-dealing, excluded',
          value: formatUsd(h.selfDealtChargedMicros),
          hint: `Charged where the customer and the supplier are the same party (${formatQuantity(h.selfDealtGpuHours, 1)} GPU-hours, ${formatInteger(h.selfDealtJobs)} jobs), left out of every figure here.`,
          metric: 'self-dealing',
        },
      ],
    },
    {
      id: 'month',
      title: `${month} (latest complete month)`,
      figures: [
        {
          id: 'payingCustomers',
          label: 'Paying customers',
          value: formatInteger(h.payingCustomers),
          hint: `Accounts charged for work in ${month}.`,
          metric: 'paying-customers',
        },
        {
          id: 'netRevenueRetention12m',
          label: '12-month net revenue retention',
          value: formatShare(h.netRevenueRetention12m),
          hint:
            h.netRevenueRetention12m === null
              ? `Needs 24 months of records (the 12 months to ${yearAgo} against the 12 months to ${month}).${since}`
              : `What the payers of the 12 months to ${yearAgo} spent in the 12 months to ${month} ÷ what they spent then.`,
          metric: 'net-revenue-retention',
        },
        {
          id: 'netRevenueRetentionYearAgo',
          label: 'NRR, same month a year later',
          value: formatShare(h.netRevenueRetentionYearAgo),
          hint:
            h.netRevenueRetentionYearAgo === null
              ? `Needs ${yearAgo} wholly on record.${since}`
              : `What ${yearAgo}’s payers spent in ${month} ÷ what they spent in ${yearAgo}.`,
          metric: 'net-revenue-retention',
        },
        {
          id: 'netRevenueRetention',
          label: 'NRR, month over month',
          value: formatShare(h.netRevenueRetention),
          hint: `What ${previous}’s payers spent in ${month} ÷ what they spent in ${previous}.`,
          metric: 'net-revenue-retention',
        },
      ],
    },
    {
      id: 'now',
      title: 'Right now',
      figures: [
        {
          id: 'verifiedGpusOnline',
          label: 'Verified GPUs online',
          value: formatInteger(h.verifiedGpusOnline),
          hint: 'Online or busy, verified and not quarantined.',
          metric: 'verified-gpus-online',
        },
      ],
    },
  ];
}

/** The figures the home page shows under "Paid usage", in its order. */
export const HOME_HEADLINES: readonly HeadlineId[] = [
  'paidGpuHours',
  'paidDemand',
  'subsidyRatio',
  'margin',
  'payingCustomers',
  'netRevenueRetention12m',
  'netRevenueRetention',
];

/** One figure by id (the home page labels them with their window, since it shows them outside their groups). */
export function homeHeadlines(h: MetricsHeadline): (HeadlineFigure & { window: string })[] {
  const groups = headlineGroups(h);
  return HOME_HEADLINES.flatMap((id) => {
    for (const group of groups) {
      const figure = group.figures.find((f) => f.id === id);
      if (figure)
        return [{ ...figure, window: group.id === 'month' ? formatMonth(h.month) : 'last 30 days' }];
    }
    return [];
  });
}
