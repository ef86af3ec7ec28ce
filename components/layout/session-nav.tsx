'use client';

import { Button } from '@/components/ui/button';
import { shortAddress } from '@/components/wallet/short-address';
import { useSession, useSignOut } from '@/lib/queries/session';

/**
 * Who is signed in, from `GET /api/v1/auth/session`. Deliberately free of wallet code: signing out needs
 * only the API, signing in happens on /signin, and every page carries this header.
 */
export function SessionNav() {
  const session = useSession();
  const signOut = useSignOut();
  const account = session.data?.account;

  // Same footprint while the session loads, so the header does not jump.
  if (session.isPending) return <span aria-hidden="true" className="inline-block h-7 w-16" />;
  if (!account)
    return (
      // A plain link, so the header carries no wallet code at all: the sign-in page loads it, and sends the
      // visitor back to the page (and query) they were on. The target is set on click, from where they are.
      <a
        href="/signin"
        onClick={(event) => {
          const here = window.location.pathname + window.location.search;
          event.currentTarget.href = `/signin?next=${encodeURIComponent(here)}`;
        }}
        className="text-sm text-accent underline-offset-2 hover:underline"
      >
        Sign in
      </a>
    );
  return (
    <div className="flex items-center gap-2 text-sm">
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
