import { Badge } from '@/components/ui/badge';
import { formatAgo } from '@/lib/format';
import { VERIFICATION_METHOD_LABELS, type VerificationMethod } from '@/lib/market/verification-recency';

const HOW: Record<VerificationMethod, string> = {
  benchmark: 'Passed a hardware benchmark (the timed GPU proof, within the GPU model’s time bound)',
  canary: 'Passed a canary job (a job with a known answer, mixed into the node’s work)',
};

/**
 * A verified badge always says when and how; an unverified node is never shown as verified (no date, no
 * badge). The method is spelled out in the badge text, not only in a tooltip.
 */
export function VerifiedBadge({
  verified,
  verifiedAt,
  method,
  now,
  compact = false,
}: {
  verified: boolean;
  verifiedAt: string | null;
  method: VerificationMethod | null;
  now: Date;
  /** Under a "Verified" column header: the word is read by screen readers only. */
  compact?: boolean;
}) {
  if (!verified || !verifiedAt) return <Badge>Unverified</Badge>;
  const when = new Date(verifiedAt).toUTCString();
  return (
    <Badge tone="success" title={method ? `${HOW[method]} ${when}` : `Verified ${when}`}>
      ✓ <span className={compact ? 'sr-only' : undefined}>Verified</span>{' '}
      <span suppressHydrationWarning>{formatAgo(verifiedAt, now)}</span>
      {method ? <span className="font-normal">· {VERIFICATION_METHOD_LABELS[method]}</span> : null}
    </Badge>
  );
}
