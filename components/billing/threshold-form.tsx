'use client';

import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import type { BalanceView } from '@/lib/billing/schemas';
import { useUpdateLowBalanceThreshold } from '@/lib/queries/billing';
import { formatUsd, microsToDecimal, parseUsdcToMicros } from '@/lib/money';

/** Sets the available balance below which the page (and later, notifications) warns; empty turns it off. */
export function ThresholdForm({ balance }: { balance: BalanceView | undefined }) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const update = useUpdateLowBalanceThreshold();
  const current = balance?.lowBalanceThresholdMicros ?? null;
  const [text, setText] = useState(current === null ? '' : microsToDecimal(BigInt(current)));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = (value: string | null) => {
    setError(null);
    setSaved(null);
    update.mutate(value, {
      onSuccess: (next) =>
        setSaved(
          next.lowBalanceThresholdMicros === null
            ? 'Low-balance alert turned off.'
            : `Saved: alert below ${formatUsd(next.lowBalanceThresholdMicros)}.`,
        ),
      onError: (e) => setError(e.message),
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return save(null);
    const micros = parseUsdcToMicros(text);
    if (micros === null)
      return setError('Enter an amount in USDC, such as 50 or 12.50 (at most 6 decimals).');
    save(micros.toString());
  };

  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Low-balance alert</h2>
      <p id={hintId} className="text-sm text-muted-foreground">
        {current === null
          ? 'Off. Set an amount to be warned when your available balance falls below it.'
          : `Warns when your available balance falls below ${formatUsd(current)}.`}
      </p>
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={inputId} className="text-xs font-medium text-muted-foreground">
            Alert below (USDC)
          </label>
          <input
            id={inputId}
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 50"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            className="w-32 rounded-md border border-border bg-card px-2 py-1.5 text-sm"
          />
        </div>
        <Button type="submit" disabled={update.isPending || !balance}>
          Save
        </Button>
        {current !== null ? (
          <Button
            disabled={update.isPending}
            onClick={() => {
              setText('');
              save(null);
            }}
          >
            Turn off
          </Button>
        ) : null}
        <p role="status" className="self-center text-sm text-success">
          {saved}
        </p>
      </form>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
