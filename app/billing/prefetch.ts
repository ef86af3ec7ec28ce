import { QueryClient } from '@tanstack/react-query';
import { cookies } from 'next/headers';
import { serviceContext } from '@/lib/api/context';
import { getAccountView } from '@/lib/auth/accounts';
import type { SessionResponse } from '@/lib/auth/schemas';
import { resolveSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import { getBalanceView } from '@/lib/billing/balance';
import { chainInfo } from '@/lib/billing/chain-info';
import { listLedgerEntries } from '@/lib/billing/ledger-entries';
import { listDeposits } from '@/lib/deposits/views';
import { serverEnv } from '@/lib/env';
import { DEPOSITS_PAGE_SIZE } from '@/lib/queries/deposits';
import { queryKeys } from '@/lib/queries/keys';
import { LEDGER_PAGE_SIZE } from '@/lib/queries/ledger';

/**
 * Fills a query cache with what the billing page shows first, under the keys and page sizes its client hooks
 * use: the chain, the session, and for a signed-in account its balance and first pages of deposits and
 * ledger. Whatever fails here is left to the browser, which asks the API and shows the API's error.
 */
export async function prefetchBilling(): Promise<QueryClient> {
  const queryClient = new QueryClient();
  const ctx = await serviceContext();
  if (ctx.chain)
    queryClient.setQueryData(queryKeys.chain, chainInfo(ctx, serverEnv().WALLETCONNECT_PROJECT_ID ?? null));

  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const principal = token ? await resolveSession(ctx.db, ctx.clock, token).catch(() => null) : null;
  if (!principal) {
    const signedOut: SessionResponse = { account: null, expiresAt: null };
    queryClient.setQueryData(queryKeys.session, signedOut);
    return queryClient;
  }

  const { accountId } = principal;
  const [account, balance, ledger, deposits] = await Promise.all([
    getAccountView(ctx.db, accountId).catch(() => null),
    getBalanceView(ctx.db, accountId).catch(() => null),
    listLedgerEntries(ctx.db, accountId, { limit: LEDGER_PAGE_SIZE }).catch(() => null),
    ctx.chain && ctx.chainClient
      ? listDeposits({ db: ctx.db, clock: ctx.clock, chain: ctx.chain, client: ctx.chainClient }, accountId, {
          limit: DEPOSITS_PAGE_SIZE,
        }).catch(() => null)
      : null,
  ]);
  if (!account) return queryClient;
  const session: SessionResponse = { account, expiresAt: principal.expiresAt?.toISOString() ?? null };
  queryClient.setQueryData(queryKeys.session, session);
  if (balance) queryClient.setQueryData(queryKeys.account.balance, balance);
  if (ledger)
    queryClient.setQueryData(queryKeys.account.ledger.list, { pages: [ledger], pageParams: [null] });
  if (deposits)
    queryClient.setQueryData(queryKeys.account.deposits.list, { pages: [deposits], pageParams: [null] });
  return queryClient;
}
