'use client';

import { useId, useState, type FormEvent } from 'react';
import { PriceBand } from '@/components/market/price-band';
import { formatBasisPoints } from '@/components/supplier/format';
import { parsePriceInput } from '@/components/supplier/price-input';
import { formatMoney } from '@/lib/money';
import { Button } from '@/components/ui/button';
import { microsToDecimal } from '@/lib/money';
import { useUpdateNodePrice } from '@/lib/queries/supplier';
import type { SupplierNodeView } from '@/lib/supplier/schemas';

/**
 * The node's price against the market's P10 / median / P90 for its GPU model, the paid work it would earn in
 * a month at its observed utilization, and a form to change the price (new placements pay the new price).
 */
export function PriceEditor({ node }: { node: SupplierNodeView }) {
  const id = useId();
  const update = useUpdateNodePrice();
  const [text, setText] = useState(() => microsToDecimal(BigInt(node.priceMicros)));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { market } = node;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const parsed = parsePriceInput(text);
    if ('error' in parsed) return setError(parsed.error);
    setError(null);
    update.mutate(
      { nodeId: node.id, priceMicros: parsed.micros },
      {
        onSuccess: (next) => setSaved(`Saved: ${formatMoney(next.priceMicros)}/GPU-hr for new placements.`),
        onError: (e) => setError(`Could not save the price: ${e.message}`),
      },
    );
  };

  return (
    <section aria-labelledby={`${id}-heading`} className="flex min-w-0 flex-col gap-3">
      <h4 id={`${id}-heading`} className="text-sm font-semibold">
        Price against the market
      </h4>
      <PriceBand
        priceMicros={node.priceMicros}
        p10={market.p10PriceMicros}
        median={market.medianPriceMicros}
        p90={market.p90PriceMicros}
      />
      <p className="text-xs text-muted-foreground">
        Percentiles of the {market.offers.toLocaleString('en-US')} listed {node.gpuName} offer
        {market.offers === 1 ? '' : 's'} (yours included), each a real listed price.
      </p>
      <p className="text-sm">
        Estimated paid work:{' '}
        <strong className="tabular">{formatMoney(node.estimatedMonthlyEarningsMicros)}</strong> a month — your
        price × {node.gpuCount} GPU{node.gpuCount === 1 ? '' : 's'} × 730 h × its observed utilization of{' '}
        {formatBasisPoints(node.utilization30dBp)}, less the platform fee. An estimate from the last 30 days,
        not a promise; incentives not included.
      </p>
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-price`} className="text-xs font-medium text-muted-foreground">
            Price (USD per GPU-hour)
          </label>
          <input
            id={`${id}-price`}
            inputMode="decimal"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
            className="w-28 rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid=true]:border-danger"
          />
        </div>
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save price'}
        </Button>
        <p role="status" className="self-center text-sm text-success">
          {saved}
        </p>
      </form>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        Jobs already placed keep the price they started with; new placements pay the new one.
      </p>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </section>
  );
}
