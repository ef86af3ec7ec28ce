'use client';

import { useEffect, useId, useRef } from 'react';
import { CardSkeleton } from '@/components/billing/skeleton';
import { Button } from '@/components/ui/button';
import { WalletIsland } from '@/components/wallet/wallet-island';
import { useChainInfo } from '@/lib/queries/chain';
import { useSession } from '@/lib/queries/session';

/**
 * The wallet sign-in in a modal dialog over the current page. Loaded only when someone asks to sign in
 * (sign-in-button.tsx), so the wallet code (wagmi, viem) never weighs on a page that is only being read.
 * It closes itself once the session arrives; the page's own queries then refetch as the signed-in account.
 */
export function SignInDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const session = useSession();
  const chain = useChainInfo();
  const signedIn = Boolean(session.data?.account);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  // Signed in (here, or in another tab): the dialog has done its job.
  useEffect(() => {
    if (signedIn) dialog.current?.close();
  }, [signedIn]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(32rem,calc(100%-2rem))] rounded-lg border border-border bg-background p-4 text-foreground backdrop:bg-black/60"
    >
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id={titleId} className="font-semibold">
          Sign in to Backfill
        </h2>
        <form method="dialog">
          <Button type="submit" className="px-2 py-1 text-xs">
            Close
          </Button>
        </form>
      </div>
      {signedIn ? null : chain.error && !chain.data ? (
        <p role="alert" className="text-sm text-danger">
          Signing in is not available right now: {chain.error.message}
        </p>
      ) : chain.data ? (
        <WalletIsland chainInfo={chain.data} account={null} />
      ) : (
        <CardSkeleton title="Wallet" lines={2} />
      )}
    </dialog>
  );
}
