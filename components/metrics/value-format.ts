import type { ValueFormat } from '@/components/metrics/chart-data';
import { compactNumber } from '@/components/ui/chart-axes';
import {
  formatDuration,
  formatDurationShort,
  formatQuantity,
  formatRatio,
  NOT_DEFINED,
} from '@/components/metrics/format';

/** Short axis ticks: "$1.2K", "40%", "0.5", "3 min". */
export function formatAxisValue(format: ValueFormat, value: number): string {
  switch (format) {
    case 'usd':
      return `$${compactNumber(value)}`;
    case 'integer':
    case 'decimal':
      return compactNumber(value);
    case 'percent':
      return `${Math.round(value * 100)}%`;
    case 'ratio':
      return formatRatio(value);
    case 'duration':
      return formatDurationShort(value);
  }
}

/** Tooltip values, a little more precise than the ticks (the table under the chart is exact). */
export function formatTooltipValue(format: ValueFormat, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_DEFINED;
  switch (format) {
    case 'usd':
      return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'integer':
      return Math.round(value).toLocaleString('en-US');
    case 'decimal':
      return formatQuantity(value, 1);
    case 'percent':
      return `${(value * 100).toFixed(1)}%`;
    case 'ratio':
      return formatRatio(value);
    case 'duration':
      return formatDuration(value);
  }
}
