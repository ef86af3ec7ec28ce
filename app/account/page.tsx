import type { Metadata } from 'next';
import { AccountView } from '@/components/account/account-view';

export const metadata: Metadata = { title: 'Account' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

export default function AccountPage() {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          API keys for scripts, notebooks and the command line. Your balance and deposits are on the Billing
          page.
        </p>
      </div>
      <AccountView />
    </div>
  );
}
