'use client';

import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { shortAddress } from '@/components/wallet/short-address';
import { useSession, useSignOut } from '@/lib/queries/session';

/**
 * Who is signed in, from `GET /api/v1/auth/session`. Deliberately free of wallet code: signing out needs
 * only the API, and every page carries this header.
 */
export function SessionNav() {
  const session = useSession();
  const signOut = useSignOut();
  const account = session.data?.account;

  // Same footprint while the session loads, so the header does not jump.
  if (session.isPending) return <span aria-hidden="true" className="inline-block h-7 w-16" />;
  if (!account)
    return (
      <Link href="/billing" className="text-sm text-accent underline-offset-2 hover:underline">
        Sign in
      </Link>
    );
  return (
    <div className="flex items-center gap-2 text-sm">
      <Link href="/jobs" className="mr-2 text-muted-foreground hover:text-foreground">
        Jobs
      </Link>
      <span className="text-muted-foreground">
        Signed in as{' '}
        <span className="font-mono text-foreground" title={account.address}>
          {shortAddress(account.address)}
        </span>
      </span>
      <Button className="px-2 py-1 text-xs" disabled={signOut.pending} onClick={() => void signOut.signOut()}>
        Sign out
      </Button>
      {signOut.error ? (
        <span role="alert" className="text-xs text-danger">
          {signOut.error.message}
        </span>
      ) : null}
    </div>
  );
}
