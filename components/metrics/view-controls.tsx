import Link from 'next/link';
import type { Route } from 'next';
import {
  GRANULARITY_OPTIONS,
  metricsViewHref,
  RANGE_PRESETS,
  type MetricsView,
} from '@/components/metrics/view';
import { cn } from '@/components/ui/cn';

const optionClass = (current: boolean) =>
  cn(
    'rounded-md border px-2.5 py-1 text-sm',
    current
      ? 'border-accent bg-accent-soft font-medium text-foreground'
      : 'border-border text-muted-foreground hover:bg-muted hover:text-foreground',
  );

interface Option {
  id: string;
  label: string;
  href: Route;
}

/** One labelled group of view links; the current one is marked for assistive technology. */
function OptionGroup({ label, options, current }: { label: string; options: Option[]; current: string }) {
  const labelId = `${label.toLowerCase()}-label`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-sm text-muted-foreground" id={labelId}>
        {label}
      </span>
      <ul className="flex flex-wrap gap-1.5" aria-labelledby={labelId}>
        {options.map((option) => (
          <li key={option.id}>
            <Link
              href={option.href}
              aria-current={option.id === current ? 'true' : undefined}
              className={optionClass(option.id === current)}
              scroll={false}
              prefetch={false}
            >
              {option.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The two ways to change the view: its range, and the period of each row. */
function groups(view: MetricsView): { label: string; current: string; options: Option[] }[] {
  return [
    {
      label: 'Range',
      current: view.range,
      options: RANGE_PRESETS.map(({ id, label }) => ({
        id,
        label,
        href: metricsViewHref({ ...view, range: id }),
      })),
    },
    {
      label: 'Periods',
      current: view.granularity,
      options: GRANULARITY_OPTIONS.map(({ id, label }) => ({
        id,
        label,
        href: metricsViewHref({ ...view, granularity: id }),
      })),
    },
  ];
}

/**
 * The range and granularity of every chart, as plain links: the view lives in the URL, renders on the server
 * and works without JavaScript. Customer metrics are monthly whatever the granularity.
 */
export function ViewControls({ view }: { view: MetricsView }) {
  return (
    <nav aria-label="Range and granularity" className="flex flex-wrap items-center gap-x-6 gap-y-2">
      {groups(view).map((group) => (
        <OptionGroup key={group.label} {...group} />
      ))}
    </nav>
  );
}
