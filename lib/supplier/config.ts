import { serverEnv } from '@/lib/env';
import { orchestrationConfig } from '@/lib/jobs/config';
import type { SupplierViewConfig } from '@/lib/supplier/nodes';

/** The configured take rate, which the console's earnings estimate deducts, and the minimum agent version. */
export function supplierViewConfig(): SupplierViewConfig {
  return {
    takeRateBp: orchestrationConfig().takeRateBp,
    minAgentVersion: serverEnv().MIN_AGENT_VERSION ?? null,
  };
}
