'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatTimestamp } from '@/components/billing/format';
import { UptimeChart } from '@/components/market/uptime-chart';
import { AgentVersionNote } from '@/components/supplier/agent-version';
import { formatBasisPoints, formatTokens } from '@/components/supplier/format';
import { formatMoney } from '@/lib/money';
import { NODE_STATUS_LABEL, NODE_STATUS_MEANING, NODE_STATUS_TONE } from '@/components/supplier/labels';
import { LastCheck, QuarantineAlert, VerificationBadge } from '@/components/supplier/node-verification';
import { PriceEditor } from '@/components/supplier/price-editor';
import { Badge } from '@/components/ui/badge';
import { TableHead } from '@/components/ui/table-head';
import type { EarningsAmounts, SupplierNodeView } from '@/lib/supplier/schemas';

/** recharts is fetched only when a node card is on screen, never by the pages that link here. */

/** "$1.25 paid + 3.20 tokens": the two currencies side by side, never added. */
function EarnedText({ amounts }: { amounts: EarningsAmounts }) {
  return (
    <>
      {formatMoney(amounts.paidMicros)} paid
      <span className="block text-xs font-normal text-muted-foreground">
        + {formatTokens(amounts.incentiveMicros)} ({formatMoney(amounts.incentiveUsdMicros)} at emission)
      </span>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-border p-2">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="tabular mt-0.5 text-sm font-medium">{children}</dd>
    </div>
  );
}

/** One of my nodes: what it is, how it has been doing, how it was verified, and its price. */
export function NodeCard({ node }: { node: SupplierNodeView }) {
  const headingId = `node-${node.id}`;
  return (
    <article
      aria-labelledby={headingId}
      data-node-id={node.id}
      className="flex flex-col gap-4 rounded-lg border border-border p-4"
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={headingId} className="font-mono text-base font-semibold break-all">
            {node.name}
          </h3>
          <p className="text-sm text-muted-foreground">
            {node.gpuCount}× {node.gpuName} · {node.vramGb} GB each · {node.regionName}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={NODE_STATUS_TONE[node.status]} title={NODE_STATUS_MEANING[node.status]}>
            {NODE_STATUS_LABEL[node.status]}
          </Badge>
          <VerificationBadge verification={node.verification} />
          <Link
            href={`/market/${node.id}`}
            className="text-sm text-accent underline underline-offset-2"
            aria-label={`Market page of ${node.name}`}
          >
            Market page
          </Link>
        </div>
      </header>
      <QuarantineAlert verification={node.verification} />
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Status">
          {NODE_STATUS_LABEL[node.status]}
          <span className="block text-xs font-normal text-muted-foreground">
            since {formatTimestamp(node.statusSince)}
          </span>
        </Fact>
        <Fact label="Uptime (30 days)">{formatBasisPoints(node.uptime30dBp)}</Fact>
        <Fact label="Utilization (30 days)">{formatBasisPoints(node.utilization30dBp)}</Fact>
        <Fact label="Price">{formatMoney(node.priceMicros)}/GPU-hr</Fact>
        <Fact label="Earned today">
          <EarnedText amounts={node.earnings.today} />
        </Fact>
        <Fact label="Earned (30 days)">
          <EarnedText amounts={node.earnings.last30d} />
        </Fact>
      </dl>
      <LastCheck verification={node.verification} />
      <AgentVersionNote agent={node.agent} />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
        <section aria-labelledby={`${headingId}-uptime`} className="flex min-w-0 flex-col gap-2">
          <h4 id={`${headingId}-uptime`} className="text-sm font-semibold">
            Uptime by day, last 30 days
          </h4>
          <UptimeChart
            data={node.uptimeDaily.map((d) => ({
              day: d.day,
              uptime: d.uptimeBp === null ? null : d.uptimeBp / 10_000,
            }))}
          />
          <details className="text-sm">
            <summary className="cursor-pointer text-muted-foreground">Uptime by day (table)</summary>
            <table className="tabular mt-2 text-sm">
              <caption className="sr-only">Daily uptime of {node.name}</caption>
              <TableHead
                columns={['Day (UTC)', { label: 'Uptime', align: 'right' }]}
                cellClassName="pr-6 text-foreground"
              />
              <tbody>
                {node.uptimeDaily.map((d) => (
                  <tr key={d.day}>
                    <td className="pr-6">{d.day}</td>
                    <td className="text-right">
                      {d.uptimeBp === null ? 'not observed' : formatBasisPoints(d.uptimeBp)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
        <PriceEditor node={node} />
      </div>
    </article>
  );
}
