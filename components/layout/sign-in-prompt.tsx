import type { ReactNode } from 'react';
import { SignInButton } from '@/components/layout/sign-in-button';
import { Card } from '@/components/ui/card';

/**
 * Signed out on an account page. Signing in opens over the page (the wallet code loads only then), and the
 * page shows the account's data once the session arrives.
 */
export function SignInPrompt({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Card className="flex flex-col items-start gap-3">
      <h2 className="font-semibold">{title}</h2>
      <p className="text-sm text-muted-foreground">
        Your Backfill account is your wallet address. Sign in by signing a short message with your wallet — no
        transaction, no fee — and this page shows your account.
      </p>
      {children}
      <SignInButton label="Sign in with your wallet" variant="primary" />
    </Card>
  );
}
