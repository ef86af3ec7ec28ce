import { cohortMatrix } from '@/components/metrics/chart-data';
import { formatMonth, formatShare, retentionStep } from '@/components/metrics/format';
import { formatInteger } from '@/lib/format';
import type { MetricSeries } from '@/lib/metrics/schemas';
import { ScrollRegion } from '@/components/ui/scroll-region';

/**
 * Cell shades by retention step, darkest for the highest retention in the light theme and brightest in the
 * dark one. Each background is paired with the text colour that keeps WCAG AA contrast (≥ 4.5:1) on it in
 * that theme; the percentage is written in every cell, so the shade is never the only carrier.
 */
const SHADES = [
  'bg-[#eef2ff] text-[#18181b] dark:bg-[#1e1b4b] dark:text-[#f4f4f5]',
  'bg-[#e0e7ff] text-[#18181b] dark:bg-[#262262] dark:text-[#f4f4f5]',
  'bg-[#c7d2fe] text-[#18181b] dark:bg-[#312e81] dark:text-[#f4f4f5]',
  'bg-[#a5b4fc] text-[#18181b] dark:bg-[#3730a3] dark:text-[#f4f4f5]',
  'bg-[#4f46e5] text-[#ffffff] dark:bg-[#4f46e5] dark:text-[#ffffff]',
  'bg-[#3730a3] text-[#ffffff] dark:bg-[#a5b4fc] dark:text-[#0b0b0f]',
] as const;

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
        <table className="tabular w-full border-separate border-spacing-0.5 text-xs">
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
                      className={`rounded-sm px-2 py-1 text-center whitespace-nowrap ${
                        cell.retention === null ? '' : SHADES[retentionStep(cell.retention)]
                      }`}
                      title={`${formatInteger(cell.customers)} of ${formatInteger(row.size)} customers charged in ${formatMonth(cell.period)}`}
                    >
                      {formatShare(cell.retention)}
                    </td>
                  ) : (
                    <td key={m} className="px-2 py-1">
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
          <span key={label} className={`rounded-sm px-1.5 py-0.5 ${SHADES[step]}`}>
            {label}
          </span>
        ))}
      </div>
    </div>
  );
}
