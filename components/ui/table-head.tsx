import { cn } from '@/components/ui/cn';

export type HeadColumn = string | { label: string; align: 'left' | 'right' };

/** The header row of a simple data table: column headers with `scope="col"`, muted and compact. */
export function TableHead({
  columns,
  className,
  cellClassName = 'py-1 pr-3',
}: {
  columns: HeadColumn[];
  className?: string;
  cellClassName?: string;
}) {
  return (
    <thead className={cn('text-left text-xs text-muted-foreground', className)}>
      <tr>
        {columns.map((column) => {
          const { label, align } = typeof column === 'string' ? { label: column, align: 'left' } : column;
          return (
            <th
              key={label}
              scope="col"
              className={cn('font-medium', cellClassName, align === 'right' && 'text-right')}
            >
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
