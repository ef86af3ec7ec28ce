import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/**
 * A named region that scrolls sideways when its content (a table, a command) is wider than the screen. It
 * is focusable, so keyboard users can scroll it too (axe's scrollable-region-focusable rule). It is the
 * containing block of what it holds: screen-reader-only text (absolutely positioned) inside its cells is clipped
 * with them, instead of widening the whole page on a phone.
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
    <div role="region" aria-label={label} tabIndex={0} className={cn('relative overflow-x-auto', className)}>
      {children}
    </div>
  );
}
