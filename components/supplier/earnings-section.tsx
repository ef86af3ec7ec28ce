'use client';

import dynamic from 'next/dynamic';
import { ErrorState, ListSkeleton } from '@/components/billing/list-states';
import { Skeleton } from '@/components/billing/skeleton';
import { Stat } from '@/components/ui/card';
import { Card } from '@/components/ui/card';
import { EarningsByDayTable, EarningsByNodeTable } from '@/components/supplier/earnings-tables';
import { earningsChartPoints, formatTokens } from '@/components/supplier/format';
import { formatMoney } from '@/lib/money';
import { RangeForm } from '@/components/supplier/range-form';
import {
  earningsExportPath,
  earningsJsonPath,
  useSupplierEarnings,
  type EarningsRange,
} from '@/lib/queries/supplier';
import type { SupplierEarnings } from '@/lib/supplier/schemas';

/** recharts is fetched only here, in the browser. */
const EarningsChart = dynamic(
  () => import('@/components/supplier/earnings-chart').then((module) => module.EarningsChart),
  { ssr: false, loading: () => <Skeleton className="h-56 w-full" /> },
);

function Totals({ report }: { report: SupplierEarnings }) {
  const { totals } = report;
  return (
    <dl className="grid gap-3 sm:grid-cols-3">
      <Stat
        label="Paid jobs (USDC)"
        value={formatMoney(totals.paidMicros)}
        hint="Your share of what customers paid, after the platform fee."
      />
      <Stat
        label="Incentives (network token)"
        value={formatTokens(totals.incentiveMicros)}
        hint={`Worth ${formatMoney(totals.incentiveUsdMicros)} at the USD price recorded when they were emitted. Not USDC.`}
      />
      <Stat
        label="Both, in USD"
        value={formatMoney(totals.totalUsdMicros)}
        hint="Paid USDC plus incentives at their USD value at emission: two currencies, added only here."
      />
    </dl>
  );
}

function Balances({ balances }: { balances: SupplierEarnings['balances'] }) {
  return (
    <section aria-labelledby="balances-heading" className="flex flex-col gap-2">
      <h3 id="balances-heading" className="text-sm font-semibold">
        Balances now
      </h3>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Payable"
          value={formatMoney(balances.payableMicros)}
          hint="Earned USDC you can withdraw now."
        />
        <Stat
          label="Payout pending"
          value={formatMoney(balances.payoutPendingMicros)}
          hint="USDC on its way to your wallet."
        />
        <Stat
          label="Held (quarantine)"
          value={formatMoney(balances.heldMicros)}
          hint="Earnings of quarantined nodes: never paid out."
        />
        <Stat
          label="Incentive balance"
          value={formatTokens(balances.incentivesMicros)}
          hint="Network tokens credited to you. Payouts withdraw USDC only."
        />
      </dl>
    </section>
  );
}

/**
 * Earnings over a period of UTC days: totals, the balances now, a daily chart with its exact table, per
 * node, and the CSV and JSON behind them. Paid work (USDC) and incentives (network token) are kept apart.
 */
export function EarningsSection({
  range,
  onRange,
}: {
  range: EarningsRange;
  onRange: (next: EarningsRange) => void;
}) {
  const earnings = useSupplierEarnings(range);
  const report = earnings.data;
  // The range the figures are for: the answer's (the server fills in defaults), else the URL's.
  const shown: EarningsRange = report ? { from: report.from, to: report.to } : range;

  return (
    <Card className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="font-semibold">Earnings</h2>
          <p className="mt-1 text-sm text-muted-foreground">
            Paid jobs are your share of customer charges (USDC); incentives are availability rewards in the
            network token for verified online GPU time, with their USD value when emitted.
          </p>
        </div>
        <div className="flex flex-wrap gap-3 text-sm">
          <a href={earningsExportPath(shown)} download className="text-accent underline underline-offset-2">
            Download earnings CSV
          </a>
          <a href={earningsJsonPath(shown)} className="text-accent underline underline-offset-2">
            JSON
          </a>
        </div>
      </div>
      <RangeForm key={`${shown.from ?? ''}:${shown.to ?? ''}`} shown={shown} onRange={onRange} />
      <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
        {earnings.isPending
          ? 'Loading earnings…'
          : earnings.error && !report
            ? 'Could not load earnings.'
            : earnings.isPlaceholderData
              ? 'Updating…'
              : report
                ? `Earnings from ${report.from} to ${report.to} (UTC days, both included).`
                : ''}
      </p>
      {earnings.isPending ? (
        <ListSkeleton rows={4} />
      ) : earnings.error && !report ? (
        <ErrorState
          message={`Could not load earnings: ${earnings.error.message}`}
          onRetry={() => void earnings.refetch()}
        />
      ) : report ? (
        <div
          className={earnings.isPlaceholderData ? 'flex flex-col gap-4 opacity-60' : 'flex flex-col gap-4'}
          aria-busy={earnings.isPlaceholderData || undefined}
        >
          <Totals report={report} />
          <Balances balances={report.balances} />
          <section aria-labelledby="by-day-heading" className="flex flex-col gap-2">
            <h3 id="by-day-heading" className="text-sm font-semibold">
              By day
            </h3>
            <EarningsChart points={earningsChartPoints(report.days)} />
            <p className="text-xs text-muted-foreground">
              Paid work is dated when it was charged (at a checkpoint or at the end of an attempt), so a job
              running across midnight earns on both days; canary jobs are unpaid and left out. Incentives are
              dated by the start of their epoch. The bars sit side by side, never stacked: a token is not a
              dollar. Figures come from the ledger; the table and the downloads hold them exactly.
            </p>
            <details className="text-sm">
              <summary className="cursor-pointer text-muted-foreground">Earnings by day (table)</summary>
              <div className="mt-2">
                <EarningsByDayTable days={report.days} />
              </div>
            </details>
          </section>
          <section aria-labelledby="by-node-heading" className="flex flex-col gap-2">
            <h3 id="by-node-heading" className="text-sm font-semibold">
              By node
            </h3>
            <EarningsByNodeTable nodes={report.nodes} />
          </section>
        </div>
      ) : null}
    </Card>
  );
}
