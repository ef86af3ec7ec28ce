'use client';

import { TransferOutPanel } from '@/components/billing/transfer-out-panel';
import { payoutsExportPath, useSupplierEarnings, type EarningsRange } from '@/lib/queries/supplier';

/**
 * Payouts: withdraw payable USDC to the signed-in wallet, watch it reach the chain, and the history with a
 * CSV of the payouts requested in the report's range.
 */
export function PayoutsSection({ address, range }: { address: string; range: EarningsRange }) {
  const earnings = useSupplierEarnings(range);
  const payable = earnings.data ? BigInt(earnings.data.balances.payableMicros) : null;
  const shown: EarningsRange = earnings.data ? { from: earnings.data.from, to: earnings.data.to } : range;
  return (
    <TransferOutPanel
      kind="payout"
      address={address}
      balanceMicros={payable}
      title="Payouts"
      intro="Withdraw payable USDC to the wallet you signed in with. The Backfill treasury sends the transfer on-chain; it is confirmed once it has its confirmations."
      actions={
        <a
          href={payoutsExportPath(shown)}
          download
          className="text-sm text-accent underline underline-offset-2"
        >
          Download payouts CSV
        </a>
      }
    />
  );
}
