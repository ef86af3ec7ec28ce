'use client';

import dynamic from 'next/dynamic';
import { BalanceCards, LowBalanceBanner } from '@/components/billing/balance-cards';
import { DepositHistory } from '@/components/billing/deposit-history';
import { LedgerTable } from '@/components/billing/ledger-table';
import { StatementsCard } from '@/components/billing/statements-card';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { TestChainNotice } from '@/components/billing/test-chain-notice';
import { ThresholdForm } from '@/components/billing/threshold-form';
import { TransferOutPanel } from '@/components/billing/transfer-out-panel';
import { cn } from '@/components/ui/cn';
import { useBalance } from '@/lib/queries/billing';
import { useChainInfo } from '@/lib/queries/chain';
import { useSession } from '@/lib/queries/session';

/**
 * The wallet code (wagmi, viem) is its own chunk, fetched only here and only in the browser: nothing on the
 * public pages pays for it.
 */
const WalletIsland = dynamic(
  () => import('@/components/wallet/wallet-island').then((module) => module.WalletIsland),
  { ssr: false, loading: () => <CardSkeleton title="Wallet" lines={2} /> },
);

/** The billing page's live part: sign-in when signed out; balance, deposits and ledger when signed in. */
export function BillingView() {
  const session = useSession();
  const chain = useChainInfo();
  const account = session.data?.account ?? null;
  const balance = useBalance(account !== null);

  if (session.isPending || chain.isPending) return <CardSkeleton title="Billing" />;
  if (session.error && !session.data)
    return (
      <ErrorState
        message={`Could not check your session: ${session.error.message}`}
        onRetry={() => void session.refetch()}
      />
    );
  if (chain.error && !chain.data)
    return (
      <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft p-4 text-sm text-danger">
        <p className="font-medium">Deposits are not available on this server.</p>
        <p className="mt-1">{chain.error.message}</p>
      </div>
    );

  // The wallet island keeps its place in the tree across sign-in and sign-out, so it is never remounted.
  return (
    <div className="flex flex-col gap-6">
      {chain.data.isLocal ? <TestChainNotice chainInfo={chain.data} /> : null}
      {account ? (
        <section aria-labelledby="balance-heading" className="flex flex-col gap-3">
          <h2 id="balance-heading" className="sr-only">
            Balance
          </h2>
          {balance.error ? (
            <ErrorState
              message={`Could not load your balance: ${balance.error.message}`}
              onRetry={() => void balance.refetch()}
            />
          ) : (
            <BalanceCards balance={balance.data} />
          )}
          {balance.data ? <LowBalanceBanner balance={balance.data} /> : null}
        </section>
      ) : null}
      <div className={cn('grid gap-4', account && 'lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]')}>
        <WalletIsland chainInfo={chain.data} account={account} />
        {account ? <ThresholdForm key={balance.data ? 'loaded' : 'loading'} balance={balance.data} /> : null}
      </div>
      {account ? (
        <TransferOutPanel
          kind="withdrawal"
          address={account.address}
          balanceMicros={balance.data ? BigInt(balance.data.availableMicros) : null}
          title="Withdraw unused balance"
          intro="Send USDC you are not using back to the wallet you signed in with. Only the available balance can be withdrawn: what running and queued jobs hold stays reserved until they end."
        />
      ) : null}
      {account ? <DepositHistory /> : null}
      {account ? <StatementsCard /> : null}
      {account ? <LedgerTable /> : null}
    </div>
  );
}
