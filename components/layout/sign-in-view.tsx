'use client';

import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { useChainInfo } from '@/lib/queries/chain';
import { useSession } from '@/lib/queries/session';

/** The wallet code (wagmi, viem) is its own chunk, fetched only on pages that sign in or deposit. */
const WalletIsland = dynamic(
  () => import('@/components/wallet/wallet-island').then((module) => module.WalletIsland),
  { ssr: false, loading: () => <CardSkeleton title="Wallet" lines={2} /> },
);

/** The sign-in page's live part: the wallet sign-in, then back to `returnTo` once the session is there. */
export function SignInView({ returnTo }: { returnTo: string }) {
  const router = useRouter();
  const session = useSession();
  const chain = useChainInfo();
  const signedIn = Boolean(session.data?.account);

  useEffect(() => {
    if (signedIn) router.replace(returnTo);
  }, [signedIn, returnTo, router]);

  if (session.isPending || chain.isPending) return <CardSkeleton title="Wallet" lines={2} />;
  if (signedIn)
    return (
      <p role="status" className="text-sm">
        Signed in. Taking you back…
      </p>
    );
  if (chain.error && !chain.data)
    return (
      <ErrorState
        message={`Signing in is not available right now: ${chain.error.message}`}
        onRetry={() => void chain.refetch()}
      />
    );
  return <WalletIsland chainInfo={chain.data} account={null} />;
}
