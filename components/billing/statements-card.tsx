'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { monthName } from '@/components/billing/format';
import { Card } from '@/components/ui/card';
import { recentMonths, statementPath } from '@/lib/queries/ledger';

/** Pick a month; open its printable statement or download it as CSV. */
export function StatementsCard() {
  const id = useId();
  const [months] = useState(() => recentMonths(new Date()));
  const [month, setMonth] = useState(months[0] ?? '');
  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Monthly statements</h2>
      <p className="text-sm text-muted-foreground">
        Opening and closing balances of each of your accounts and everything that moved them, from the ledger.
        The CSV lists every posting with the balance after it.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={id} className="text-xs font-medium text-muted-foreground">
            Month (UTC)
          </label>
          <select
            id={id}
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            className="rounded-md border border-border bg-card px-2 py-1.5 text-sm"
          >
            {months.map((m) => (
              <option key={m} value={m}>
                {monthName(m)}
              </option>
            ))}
          </select>
        </div>
        <Link
          href={`/billing/statements/${month}`}
          className="text-sm text-accent underline underline-offset-2"
        >
          Open the statement
        </Link>
        <a
          href={statementPath(month, 'csv')}
          download
          className="text-sm text-accent underline underline-offset-2"
        >
          Download CSV
        </a>
      </div>
    </Card>
  );
}
