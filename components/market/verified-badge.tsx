import { Badge } from '@/components/ui/badge';
import { formatAgo } from '@/lib/format';

/** A verified badge always says when; an unverified node is never shown as verified. */
export function VerifiedBadge({
  verified,
  verifiedAt,
  now,
}: {
  verified: boolean;
  verifiedAt: string | null;
  now: Date;
}) {
  if (!verified || !verifiedAt) return <Badge>Unverified</Badge>;
  return (
    <Badge tone="success" title={`Hardware benchmark passed ${new Date(verifiedAt).toUTCString()}`}>
      ✓ Verified <span suppressHydrationWarning>{formatAgo(verifiedAt, now)}</span>
    </Badge>
  );
}
