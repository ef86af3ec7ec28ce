import type { ChainInfo } from '@/lib/billing/schemas';

/** Shown on the local chain: the money on this page is test USDC on a simulated chain. */
export function TestChainNotice({ chainInfo }: { chainInfo: ChainInfo }) {
  return (
    <div role="note" className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning">
      <strong>Local test chain.</strong> Deposits here move test USDC on a simulated chain ({chainInfo.name},
      chain id {chainInfo.chainId}) that runs on this server; it has no value and no real payment is made.
    </div>
  );
}
