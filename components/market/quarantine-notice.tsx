import { formatUtcDateTime } from '@/components/market/verification-history';
import type { NodeDetail } from '@/lib/market/node-schemas';

/** The public notice on a quarantined node's page: since when, why, and what it means for renters. */
export function QuarantineNotice({ quarantine }: { quarantine: NonNullable<NodeDetail['quarantine']> }) {
  return (
    <section
      aria-labelledby="quarantine-heading"
      className="rounded-lg border border-danger/40 bg-danger-soft p-4 text-sm text-danger"
    >
      <h2 id="quarantine-heading" className="font-semibold">
        Quarantined since <time dateTime={quarantine.at}>{formatUtcDateTime(quarantine.at)}</time>
      </h2>
      <p className="mt-1">
        This node failed hardware verification. It is hidden from the market and takes no jobs; its record
        below stays public.
      </p>
      <p className="mt-1">
        <strong>Reason:</strong> {quarantine.reason}
      </p>
    </section>
  );
}
