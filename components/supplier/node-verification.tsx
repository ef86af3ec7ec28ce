import { formatTimestamp } from '@/components/billing/format';
import { VERIFICATION_METHOD_TEXT } from '@/components/supplier/labels';
import { Badge } from '@/components/ui/badge';
import type { SupplierNodeView } from '@/lib/supplier/schemas';

type Verification = SupplierNodeView['verification'];

/**
 * The node's verification state as a badge. Verified always says when and how; an unverified node is never
 * shown as verified.
 */
export function VerificationBadge({ verification }: { verification: Verification }) {
  if (verification.state === 'failed') return <Badge tone="danger">Failed verification</Badge>;
  if (verification.state === 'declared') return <Badge>Declared, unverified</Badge>;
  if (verification.state !== 'verified' || !verification.lastVerifiedAt) return <Badge>Unverified</Badge>;
  return (
    <Badge tone="success">
      ✓ Verified {formatTimestamp(verification.lastVerifiedAt)}
      {verification.method ? (
        <span className="font-normal">· {verification.method === 'canary' ? 'canary job' : 'benchmark'}</span>
      ) : null}
    </Badge>
  );
}

/** A quarantined node's notice: since when and why, and what it means for its earnings. */
export function QuarantineAlert({ verification }: { verification: Verification }) {
  if (!verification.quarantinedAt) return null;
  return (
    <div className="rounded-lg border-2 border-danger/60 bg-danger-soft p-3 text-sm text-danger">
      <p className="font-semibold">
        Quarantined since{' '}
        <time dateTime={verification.quarantinedAt}>{formatTimestamp(verification.quarantinedAt)}</time>
      </p>
      <p className="mt-1">
        <strong>Reason:</strong> {verification.quarantineReason ?? 'not recorded'}
      </p>
      <p className="mt-1">
        It failed hardware verification: it is off the market and takes no jobs, earns no incentives, and its
        unpaid earnings since its last passed benchmark are held (never paid out). The reason is public on its
        market page.
      </p>
    </div>
  );
}

/** What the latest check found, passed or failed, in words. */
export function LastCheck({ verification }: { verification: Verification }) {
  const check = verification.lastCheck;
  if (!check)
    return (
      <p className="text-sm text-muted-foreground">
        No check yet. A new node is benchmarked as soon as it is online and idle; until it passes it is listed
        as unverified.
      </p>
    );
  return (
    <p className="text-sm">
      Last check: <strong>{check.result === 'pass' ? 'passed' : 'failed'}</strong>{' '}
      {VERIFICATION_METHOD_TEXT[check.method]} on <time dateTime={check.at}>{formatTimestamp(check.at)}</time>
      <span className="text-muted-foreground"> — {check.detail}</span>
    </p>
  );
}
