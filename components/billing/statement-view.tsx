'use client';

import Link from 'next/link';
import { formatTimestamp, monthName } from '@/components/billing/format';
import { ACCOUNT_LABEL, KIND_LABEL, signedMoney } from '@/components/billing/ledger-labels';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { SignInPrompt } from '@/components/layout/sign-in-prompt';
import { formatTokens } from '@/components/supplier/format';
import { Button } from '@/components/ui/button';
import { TableHead } from '@/components/ui/table-head';
import { formatMoney } from '@/lib/money';
import { statementPath, useStatement } from '@/lib/queries/ledger';
import { useSession } from '@/lib/queries/session';

/** One month's statement of the signed-in account: each ledger account's opening, movements and closing. */
export function StatementView({ month }: { month: string }) {
  const session = useSession();
  const signedIn = Boolean(session.data?.account);
  const statement = useStatement(month, signedIn);
  const title = `Statement for ${monthName(month)}`;
  const body = () => {
    if (session.isPending || (signedIn && statement.isPending)) return <CardSkeleton title={title} />;
    if (!signedIn) return <SignInPrompt title="Sign in to see your statement" />;
    if (statement.error || !statement.data)
      return (
        <ErrorState
          message={`Could not load the statement: ${statement.error?.message ?? 'no answer'}`}
          onRetry={() => void statement.refetch()}
        />
      );
    const s = statement.data;
    return (
      <>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Account</dt>
          <dd className="font-mono break-all">{s.walletAddress}</dd>
          <dt className="text-muted-foreground">Period (UTC)</dt>
          <dd>
            {formatTimestamp(s.from)} to {formatTimestamp(s.to)}
          </dd>
          <dt className="text-muted-foreground">Made</dt>
          <dd>{formatTimestamp(s.generatedAt)}, from the ledger</dd>
        </dl>
        {s.accounts.length === 0 ? (
          <p className="text-sm text-muted-foreground">No balance and no movement in this month.</p>
        ) : null}
        {s.accounts.map((a) => {
          // Incentive tokens are not dollars: they keep their own unit.
          const amount = (micros: string) =>
            a.currency === 'incentive' ? formatTokens(micros) : formatMoney(micros);
          const signed = (micros: string) =>
            a.currency === 'incentive'
              ? `${micros.startsWith('-') ? '' : '+'}${formatTokens(micros)}`
              : signedMoney(micros);
          return (
            <section key={`${a.account}:${a.currency}`} className="flex break-inside-avoid flex-col gap-2">
              <h2 className="font-semibold">
                {ACCOUNT_LABEL[a.account]}
                {a.currency === 'incentive' ? ' (incentive tokens)' : ''}
              </h2>
              <table className="tabular w-full text-sm">
                <caption className="sr-only">
                  {ACCOUNT_LABEL[a.account]}: opening balance, movements and closing balance
                </caption>
                <TableHead
                  columns={[
                    '',
                    { label: 'Transactions', align: 'right' },
                    { label: 'Amount', align: 'right' },
                  ]}
                  cellClassName="py-1 pr-3"
                />
                <tbody>
                  <tr className="border-t border-border">
                    <th scope="row" className="py-1 pr-3 text-left font-medium">
                      Opening balance
                    </th>
                    <td />
                    <td className="py-1 pr-3 text-right">{amount(a.openingMicros)}</td>
                  </tr>
                  {a.movements.map((m) => (
                    <tr key={m.kind} className="border-t border-border">
                      <th scope="row" className="py-1 pr-3 text-left font-normal">
                        {KIND_LABEL[m.kind]}
                      </th>
                      <td className="py-1 pr-3 text-right">{m.count.toLocaleString('en-US')}</td>
                      <td className="py-1 pr-3 text-right">{signed(m.amountMicros)}</td>
                    </tr>
                  ))}
                  <tr className="border-t-2 border-border">
                    <th scope="row" className="py-1 pr-3 text-left font-medium">
                      Closing balance
                    </th>
                    <td />
                    <td className="py-1 pr-3 text-right font-medium">{amount(a.closingMicros)}</td>
                  </tr>
                </tbody>
              </table>
            </section>
          );
        })}
      </>
    );
  };
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm print:hidden">
        <Link href="/billing" className="text-accent underline-offset-2 hover:underline">
          ← Billing
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {statement.data ? (
          <div className="flex flex-wrap items-center gap-3 print:hidden">
            <Button onClick={() => window.print()}>Print</Button>
            <a
              href={statementPath(month, 'csv')}
              download
              className="text-sm text-accent underline underline-offset-2"
            >
              Download CSV
            </a>
          </div>
        ) : null}
      </div>
      {body()}
    </div>
  );
}
