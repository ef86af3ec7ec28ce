import { cn } from '@/components/ui/cn';

/** A grey placeholder block while data loads; hidden from assistive technology (a status line says it). */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn('block animate-pulse rounded bg-muted', className)} />;
}

/** A card-shaped placeholder with a heading, for a section whose data or code is still loading. */
export function CardSkeleton({ title, lines = 3 }: { title: string; lines?: number }) {
  return (
    <section aria-busy="true" className="rounded-lg border border-border bg-card p-4">
      <h2 className="font-semibold">{title}</h2>
      <p className="sr-only">Loading…</p>
      <div className="mt-3 flex flex-col gap-2">
        {Array.from({ length: lines }, (_, i) => (
          <Skeleton key={i} className={cn('h-4', i % 2 ? 'w-2/3' : 'w-full')} />
        ))}
      </div>
    </section>
  );
}
