import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/**
 * A named region that scrolls sideways when its content (a table, a command) is wider than the screen. It
 * is focusable, so keyboard users can scroll it too (axe's scrollable-region-focusable rule).
 */
export function ScrollRegion({
  label,
  className = 'rounded-md border border-border',
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn('overflow-x-auto', className)}>
      {children}
    </div>
  );
}
