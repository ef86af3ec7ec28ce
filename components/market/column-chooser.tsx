'use client';

import {
  DEFAULT_OFFER_COLUMNS,
  FIXED_OFFER_COLUMNS,
  OFFER_COLUMNS,
  type OfferColumnId,
} from '@/lib/market/offer-columns';

/**
 * Which columns the offer table shows. A column the view is sorted or filtered by stays shown (ticked and
 * locked) until that sort or filter is gone; GPU and price are always shown.
 */
export function ColumnChooser({
  chosen,
  visible,
  onChange,
}: {
  chosen: readonly OfferColumnId[];
  visible: ReadonlySet<OfferColumnId>;
  onChange: (next: OfferColumnId[]) => void;
}) {
  const isDefault =
    chosen.length === DEFAULT_OFFER_COLUMNS.length && DEFAULT_OFFER_COLUMNS.every((c) => chosen.includes(c));
  return (
    // Opened, it takes a row of its own above the table instead of covering the headers.
    <details className="open:basis-full">
      <summary className="ml-auto w-fit cursor-pointer rounded-md border border-border px-2 py-1 text-sm">
        Columns ({visible.size} of {OFFER_COLUMNS.length})
      </summary>
      <fieldset className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 rounded-md border border-border p-3 sm:grid-cols-3 lg:grid-cols-5">
        <legend className="sr-only">Columns to show</legend>
        {OFFER_COLUMNS.map((column) => {
          const fixed = FIXED_OFFER_COLUMNS.includes(column.id);
          const forced = !fixed && visible.has(column.id) && !chosen.includes(column.id);
          return (
            <label key={column.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={visible.has(column.id)}
                disabled={fixed || forced}
                onChange={(e) =>
                  onChange(
                    OFFER_COLUMNS.map((c) => c.id).filter((id) =>
                      id === column.id ? e.target.checked : chosen.includes(id),
                    ),
                  )
                }
              />
              {column.label}
              {forced ? <span className="text-xs text-muted-foreground">(sorted or filtered)</span> : null}
            </label>
          );
        })}
        <button
          type="button"
          className="col-span-full mt-1 justify-self-start text-xs text-accent underline-offset-2 hover:underline disabled:text-muted-foreground disabled:no-underline"
          disabled={isDefault}
          onClick={() => onChange([...DEFAULT_OFFER_COLUMNS])}
        >
          Default columns
        </button>
      </fieldset>
    </details>
  );
}
