import type { ReactNode } from 'react';
import { Skeleton } from '@/components/billing/skeleton';
import { Button } from '@/components/ui/button';

/** Placeholder rows while a list loads. */
export function ListSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="flex flex-col gap-2" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-5 w-full" />
      ))}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-border p-6 text-center text-sm text-muted-foreground">
      {children}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-danger/40 bg-danger-soft p-3 text-sm text-danger"
    >
      <span>{message}</span>
      <Button onClick={onRetry}>Try again</Button>
    </div>
  );
}

/** "Load more" under a keyset-paginated list. */
export function LoadMore({
  hasMore,
  loading,
  onLoad,
  label,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  label: string;
}) {
  if (!hasMore) return null;
  return (
    <div>
      <Button disabled={loading} onClick={onLoad} aria-label={label}>
        {loading ? 'Loading…' : 'Load more'}
      </Button>
    </div>
  );
}
