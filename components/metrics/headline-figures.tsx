import { headlineGroups } from '@/components/metrics/headline';
import { Stat } from '@/components/ui/card';
import type { MetricsHeadline } from '@/lib/metrics/schemas';

/** Where each group sits: the 30-day figures on a row of their own, the month and the present side by side. */
const LAYOUT = {
  window: { section: 'lg:col-span-3', grid: 'grid-cols-2 md:grid-cols-4 2xl:grid-cols-7' },
  month: { section: 'lg:col-span-2', grid: 'grid-cols-2 md:grid-cols-4' },
  now: { section: '', grid: 'grid-cols-2 lg:grid-cols-1' },
} as const;

/** The metrics page's headline cards, grouped by the window each figure covers. */
export function HeadlineFigures({ headline }: { headline: MetricsHeadline }) {
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      {headlineGroups(headline).map((group) => (
        <section
          key={group.id}
          aria-labelledby={`headline-${group.id}`}
          className={`flex flex-col gap-2 ${LAYOUT[group.id].section}`}
        >
          <h3 id={`headline-${group.id}`} className="text-sm font-medium text-muted-foreground">
            {group.title}
          </h3>
          <dl className={`grid gap-3 ${LAYOUT[group.id].grid}`}>
            {group.figures.map((figure) => (
              <Stat
                key={figure.id}
                label={figure.label}
                value={figure.value}
                hint={
                  <>
                    {figure.hint}{' '}
                    <a href={`#${figure.metric}`} className="text-accent underline underline-offset-2">
                      Chart<span className="sr-only"> of {figure.label.toLowerCase()} over time</span>
                    </a>
                  </>
                }
              />
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
