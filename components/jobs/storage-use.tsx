'use client';

import { formatBytes } from '@/lib/format';
import { useStorageUsage } from '@/lib/queries/files';

/** The account's stored inputs, outputs and checkpoints against its quota. */
export function StorageUse() {
  const usage = useStorageUsage(true);
  if (!usage.data) return null;
  const { usedBytes, quotaBytes } = usage.data;
  return (
    <p data-testid="storage-use">
      Storage: {formatBytes(usedBytes)} of {formatBytes(quotaBytes)} used (inputs, outputs and checkpoints)
    </p>
  );
}
