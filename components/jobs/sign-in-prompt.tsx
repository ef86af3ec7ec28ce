import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/**
 * Signed out on a jobs page. Signing in needs the wallet, which only the billing page loads, so this links
 * there instead of pulling wallet code into every jobs page.
 */
export function SignInPrompt({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Card className="flex flex-col items-start gap-3">
      <h2 className="font-semibold">{title}</h2>
      <p className="text-sm text-muted-foreground">
        Your Backfill account is your wallet address. Sign in on the Billing page by signing a short message
        with your wallet — no transaction, no fee — then come back here.
      </p>
      {children}
      <Link href="/billing" className={buttonClasses('primary')}>
        Sign in on the Billing page
      </Link>
    </Card>
  );
}
