import { formatRunway } from '@/components/billing/format';
import { Skeleton } from '@/components/billing/skeleton';
import { Stat } from '@/components/ui/card';
import type { BalanceView } from '@/lib/billing/schemas';
import { formatUsd } from '@/lib/money';

function runway(balance: BalanceView): { value: string; hint: string } {
  const { runway } = balance;
  if (runway.state === 'no_running_jobs')
    return { value: 'No running jobs', hint: 'Runway appears while jobs are running.' };
  if (runway.hours === null || runway.burnMicrosPerHour === null)
    return { value: '—', hint: 'Not enough data to estimate yet.' };
  return {
    value: formatRunway(runway.hours),
    hint: `At the current burn of ${formatUsd(runway.burnMicrosPerHour)}/h your jobs stop in about this long.`,
  };
}

/** Available, reserved and runway: what the account can spend, what is held, how long it lasts. */
export function BalanceCards({ balance }: { balance: BalanceView | undefined }) {
  if (!balance) {
    return (
      <dl aria-busy="true" className="grid gap-3 sm:grid-cols-3">
        {['Available', 'Reserved', 'Runway'].map((label) => (
          <Stat key={label} label={label} value={<Skeleton className="h-8 w-28" />} />
        ))}
      </dl>
    );
  }
  const run = runway(balance);
  return (
    <dl className="grid gap-3 sm:grid-cols-3">
      <Stat label="Available" value={formatUsd(balance.availableMicros)} hint="Spendable now." />
      <Stat
        label="Reserved"
        value={formatUsd(balance.reservedMicros)}
        hint="Held for running and queued jobs."
      />
      <Stat label="Runway" value={run.value} hint={run.hint} />
    </dl>
  );
}

/** Shown while the available balance is below the account's alert threshold. */
export function LowBalanceBanner({ balance }: { balance: BalanceView }) {
  if (!balance.lowBalance || balance.lowBalanceThresholdMicros === null) return null;
  return (
    <div role="note" className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning">
      <strong>Low balance.</strong> Your available balance ({formatUsd(balance.availableMicros)}) is below
      your alert threshold of {formatUsd(balance.lowBalanceThresholdMicros)}. Deposit USDC to keep jobs
      running.
    </div>
  );
}
