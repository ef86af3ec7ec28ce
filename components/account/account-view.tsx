'use client';

import { ApiKeysPanel } from '@/components/account/api-keys-panel';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { SignInPrompt } from '@/components/layout/sign-in-prompt';
import { useSession } from '@/lib/queries/session';

/** The account page's live part: a sign-in prompt when signed out, the account's API keys when signed in. */
export function AccountView() {
  const session = useSession();
  if (session.isPending) return <CardSkeleton title="Account" />;
  if (session.error && !session.data)
    return (
      <ErrorState
        message={`Could not check your session: ${session.error.message}`}
        onRetry={() => void session.refetch()}
      />
    );
  if (!session.data?.account) return <SignInPrompt title="Sign in to manage your API keys" />;
  return <ApiKeysPanel />;
}
