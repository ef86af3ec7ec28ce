'use client';

import { useId, useState, type FormEvent } from 'react';
import { daysInRange } from '@/components/supplier/format';
import { Button } from '@/components/ui/button';
import type { EarningsRange } from '@/lib/queries/supplier';

/** The API's longest report, in days. */
const MAX_DAYS = 366;

const dateClass =
  'rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid=true]:border-danger';

/** The earnings period: two UTC days, both included, at most 366 days apart; it also scopes the CSVs. */
export function RangeForm({
  shown,
  onRange,
}: {
  shown: EarningsRange;
  onRange: (next: EarningsRange) => void;
}) {
  const id = useId();
  const [from, setFrom] = useState(shown.from ?? '');
  const [to, setTo] = useState(shown.to ?? '');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to) return setError('Choose both days.');
    if (from > to) return setError('The first day must not be after the last.');
    if (daysInRange(from, to) > MAX_DAYS) return setError(`Choose at most ${MAX_DAYS} days.`);
    setError(null);
    onRange({ from, to });
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Earnings period"
      className="flex flex-wrap items-end gap-3"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-from`} className="text-xs font-medium text-muted-foreground">
          From (UTC day)
        </label>
        <input
          id={`${id}-from`}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={dateClass}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-to`} className="text-xs font-medium text-muted-foreground">
          To (UTC day)
        </label>
        <input
          id={`${id}-to`}
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={dateClass}
        />
      </div>
      <Button type="submit">Show period</Button>
      <Button onClick={() => onRange({})}>Last 30 days</Button>
      {error ? (
        <p id={`${id}-error`} role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      ) : null}
    </form>
  );
}
