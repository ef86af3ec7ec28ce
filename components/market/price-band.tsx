import { formatUsd } from '@/lib/money';

/**
 * Where a node's price sits in the market band (P10–P90 of listed offers of the same model). Positions are
 * computed on integer micros; the band is widened to include the node's own price when it falls outside.
 */
export function PriceBand({
  priceMicros,
  p10,
  median,
  p90,
}: {
  priceMicros: string;
  p10: string | null;
  median: string | null;
  p90: string | null;
}) {
  if (p10 === null || median === null || p90 === null) {
    return (
      <p className="text-sm text-muted-foreground">No other listed offers of this model to compare with.</p>
    );
  }
  const values = [priceMicros, p10, median, p90].map(Number);
  const [price = 0, lo = 0, mid = 0, hi = 0] = values;
  const min = Math.min(price, lo) * 0.9;
  const max = Math.max(price, hi) * 1.1;
  const at = (v: number) => `${(((v - min) / (max - min || 1)) * 100).toFixed(1)}%`;
  const position =
    price < lo
      ? 'below the market’s P10'
      : price > hi
        ? 'above the market’s P90'
        : price <= mid
          ? 'at or below the median'
          : 'above the median';
  return (
    <div className="flex flex-col gap-2">
      <div className="relative h-8" aria-hidden="true">
        <div className="absolute top-3 h-2 w-full rounded bg-muted" />
        <div
          className="absolute top-3 h-2 rounded bg-accent-soft"
          style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }}
        />
        <div className="absolute top-2 h-4 w-0.5 bg-muted-foreground" style={{ left: at(mid) }} />
        <div
          className="absolute top-0.5 h-7 w-1.5 -translate-x-1/2 rounded bg-accent"
          style={{ left: at(price) }}
        />
      </div>
      <p className="text-sm">
        This node asks <strong>{formatUsd(priceMicros)}</strong>/GPU-hr, {position}. Market P10{' '}
        {formatUsd(p10)} · median {formatUsd(median)} · P90 {formatUsd(p90)}.
      </p>
    </div>
  );
}
