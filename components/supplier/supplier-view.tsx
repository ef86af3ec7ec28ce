'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { SignInPrompt } from '@/components/layout/sign-in-prompt';
import { AddNode } from '@/components/supplier/add-node';
import { EarningsSection } from '@/components/supplier/earnings-section';
import type { AgentReleaseInfo } from '@/components/supplier/install-commands';
import { NodeList } from '@/components/supplier/node-list';
import { PayoutsSection } from '@/components/supplier/payouts-section';
import { useSession } from '@/lib/queries/session';
import { earningsRangeToSearchParams, readEarningsRange, type EarningsRange } from '@/lib/queries/supplier';

/** On the demo network: which figures are simulated and which are this account's own records. */
function DemoNote() {
  return (
    <div role="note" className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning">
      <strong>Simulated market around your nodes.</strong> The other suppliers, the market price bands and the
      demand are the simulated demo network. Your own nodes, their verification, earnings and payouts are real
      records of this server, computed by the same code as in production.
    </div>
  );
}

/**
 * The supplier console's live part: a sign-in prompt when signed out; otherwise adding a node, my nodes,
 * earnings and payouts. The earnings period lives in the URL (`?from=&to=`, shareable; changed through the
 * History API, so the page never reloads) and also drives the CSV exports.
 */
export function SupplierView({
  demo,
  agentRelease,
}: {
  demo: boolean;
  /** The bundled agent this server hands out, for the install commands; null when it is not built. */
  agentRelease: AgentReleaseInfo | null;
}) {
  const session = useSession();
  const account = session.data?.account ?? null;
  const searchParams = useSearchParams();
  const range = useMemo(
    () => readEarningsRange(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );
  const onRange = useCallback((next: EarningsRange) => {
    const query = earningsRangeToSearchParams(next).toString();
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
  }, []);

  if (session.isPending) return <CardSkeleton title="Supplier console" />;
  if (session.error && !session.data)
    return (
      <ErrorState
        message={`Could not check your session: ${session.error.message}`}
        onRetry={() => void session.refetch()}
      />
    );
  if (!account)
    return (
      <SignInPrompt title="Sign in to add nodes and get paid">
        <p className="text-sm text-muted-foreground">
          Nodes you register, their earnings and payouts belong to the account that created their token.
          Payouts go to the wallet you sign in with.
        </p>
      </SignInPrompt>
    );

  return (
    <div className="flex flex-col gap-6">
      {demo ? <DemoNote /> : null}
      <AddNode release={agentRelease} />
      <NodeList />
      <EarningsSection range={range} onRange={onRange} />
      <PayoutsSection address={account.address} range={range} />
    </div>
  );
}
