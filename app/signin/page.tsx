import type { Metadata } from 'next';
import { SignInView } from '@/components/layout/sign-in-view';
import { safeReturnPath } from '@/lib/auth/return-path';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Sign in with a wallet, then back to the page the visitor came from (`?next=`, a path on this site only). */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const next = (await searchParams).next;
  const returnTo = safeReturnPath(typeof next === 'string' ? next : null);
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Your Backfill account is your wallet address. Signing in asks your wallet to sign a short message —
          no transaction, no fee
          {returnTo === '/' ? '.' : ', and brings you back to where you were.'}
        </p>
      </div>
      <SignInView returnTo={returnTo} />
    </div>
  );
}
