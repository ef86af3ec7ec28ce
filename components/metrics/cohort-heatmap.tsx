import { cohortMatrix } from '@/components/metrics/chart-data';
import { formatMonth, formatShare, retentionStep } from '@/components/metrics/format';
import { formatInteger } from '@/lib/format';
import type { MetricSeries } from '@/lib/metrics/schemas';
import { ScrollRegion } from '@/components/ui/scroll-region';

/**
 * Cells are shaded by retention step through `data-shade` (0–5), styled once in `app/globals.css`: darkest for
 * the highest retention in the light theme and brightest in the dark one, each background paired with the
 * text colour that keeps WCAG AA contrast (≥ 4.5:1) on it in that theme. The percentage is written in every
 * cell, so the shade is never the only carrier. One attribute per cell instead of a dozen utility classes:
 * the table has hundreds of cells, and the page ships its markup twice (HTML and the Server Components
 * payload).
 */
/** The legend's steps: the lower bound of each shade. */
const LEGEND = ['< 5%', '5–15%', '15–30%', '30–50%', '50–75%', '≥ 75%'];

/**
 * Monthly cohort retention as a heatmap table: one row per cohort (the month of its first payment, with its
 * size), one column per month since, each cell shaded by retention with the percentage written in it.
 */
export function CohortHeatmap({ series }: { series: MetricSeries }) {
  const matrix = cohortMatrix(series.rows, series.to);
  return (
    <div className="flex flex-col gap-2">
      <ScrollRegion label="Cohort retention heatmap">
        <table className="tabular w-full border-separate border-spacing-0.5 text-xs [&_td]:rounded-sm [&_td]:px-2 [&_td]:py-1 [&_td]:text-center [&_td]:whitespace-nowrap">
          <caption className="sr-only">
            Cohort retention: for each cohort (month of first payment), the share of its customers charged in
            each later month
          </caption>
          <thead className="text-muted-foreground">
            <tr>
              <th scope="col" className="px-2 py-1 text-left font-medium whitespace-nowrap">
                Cohort (customers)
              </th>
              {Array.from({ length: matrix.columns }, (_, m) => (
                <th key={m} scope="col" className="px-2 py-1 text-center font-medium whitespace-nowrap">
                  Month {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.cohort}>
                <th scope="row" className="px-2 py-1 text-left font-medium whitespace-nowrap">
                  {formatMonth(row.cohort)}{' '}
                  <span className="font-normal text-muted-foreground">({formatInteger(row.size)})</span>
                </th>
                {row.cells.map((cell, m) =>
                  cell ? (
                    <td
                      key={m}
                      data-shade={cell.retention === null ? undefined : retentionStep(cell.retention)}
                      title={`${formatInteger(cell.customers)} of ${formatInteger(row.size)} customers charged in ${formatMonth(cell.period)}`}
                    >
                      {formatShare(cell.retention)}
                    </td>
                  ) : (
                    <td key={m}>
                      <span className="sr-only">not yet</span>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="flex flex-wrap items-center gap-1 text-xs text-muted-foreground" aria-hidden="true">
        <span className="mr-1">Shade by retention:</span>
        {LEGEND.map((label, step) => (
          <span key={label} data-shade={step} className="rounded-sm px-1.5 py-0.5">
            {label}
          </span>
        ))}
      </div>
    </div>
  );
}
