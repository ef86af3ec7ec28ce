import { orchestrationConfig } from '@/lib/jobs/config';
import type { SupplierViewConfig } from '@/lib/supplier/nodes';

/** The configured take rate, which the console's earnings estimate deducts. */
export function supplierViewConfig(): SupplierViewConfig {
  return { takeRateBp: orchestrationConfig().takeRateBp };
}
