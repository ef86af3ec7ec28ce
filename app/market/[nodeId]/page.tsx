import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { PriceBand } from '@/components/market/price-band';
import { QuarantineNotice } from '@/components/market/quarantine-notice';
import { UptimeChart } from '@/components/market/uptime-chart';
import { VerificationHistory, VerificationSummary } from '@/components/market/verification-history';
import { VerifiedBadge } from '@/components/market/verified-badge';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { appContext } from '@/lib/app-context';
import { formatBandwidth, formatDate, formatPercent } from '@/lib/format';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { formatUsd } from '@/lib/money';
import { TableHead } from '@/components/ui/table-head';

type Params = Promise<{ nodeId: string }>;

const STATUS_TONE = {
  online: 'success',
  busy: 'accent',
  offline: 'neutral',
  lost: 'warning',
  quarantined: 'danger',
} as const;

async function loadNode(params: Params) {
  const { nodeId } = await params;
  if (!z.uuid().safeParse(nodeId).success) notFound();
  const { db, clock } = await appContext();
  const node = await getNodeDetail(db, clock, nodeId);
  if (!node) notFound();
  return { node, now: clock.now() };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { node } = await loadNode(params);
  return { title: `${node.hardware.gpuCount}× ${node.hardware.gpuName} in ${node.regionName}` };
}

export default async function NodePage({ params }: { params: Params }) {
  const { node, now } = await loadNode(params);
  const hw = node.hardware;
  const facts: [string, string][] = [
    ['GPUs', `${hw.gpuCount}× ${hw.gpuName}`],
    // What can be rented now: the market's offer (GPUs not held by a lease), or none while it is not offered.
    [
      'Free now',
      node.offer
        ? `${node.offer.freeGpus} of ${hw.gpuCount} GPU${hw.gpuCount === 1 ? '' : 's'}`
        : `none — not offered while ${node.quarantine ? 'quarantined' : node.status}`,
    ],
    ['VRAM per GPU', `${hw.vramGb} GB`],
    ['Interconnect', hw.interconnect === 'nvlink' ? 'NVLink' : 'PCIe'],
    ['Network', formatBandwidth(hw.bandwidthMbps)],
    ['CPU cores', String(hw.cpuCores)],
    ['RAM', `${hw.ramGb} GB`],
    ['Disk', `${hw.diskGb.toLocaleString('en-US')} GB`],
    ['CUDA', hw.cudaVersion],
    ['Relative speed', `${hw.relativeThroughput.toFixed(2)}× A100 80GB`],
    ['Region', node.regionName],
    ['Listed since', formatDate(node.createdAt)],
  ];

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/market" className="text-accent underline-offset-2 hover:underline">
          ← Market
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">
            {hw.gpuCount}× {hw.gpuName}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
            <span className="font-mono">{node.name}</span>
            <Badge tone={STATUS_TONE[node.status]}>{node.status}</Badge>
            <VerifiedBadge
              verified={node.verification.state === 'verified'}
              verifiedAt={node.verification.lastVerifiedAt}
              method={node.verification.lastVerifiedMethod}
              now={now}
            />
            {node.verification.state === 'failed' ? <Badge tone="danger">Failed verification</Badge> : null}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <p className="tabular text-2xl font-semibold">
            {formatUsd(node.priceMicros)}
            <span className="text-sm font-normal text-muted-foreground"> /GPU-hr</span>
          </p>
          <p className="tabular text-xs text-muted-foreground">
            {formatUsd(node.pricePerWorkMicros)} per A100-80GB-hour of work
          </p>
          {node.offer && !node.quarantine ? (
            <>
              <Link
                href={`/jobs/new?${new URLSearchParams({
                  nodeId: node.id,
                  gpuModel: hw.gpuModel,
                  gpuCount: '1',
                  region: node.region,
                })}`}
                className={buttonClasses('primary')}
                aria-describedby="launch-note"
              >
                Launch on this node
              </Link>
              <p id="launch-note" className="text-xs text-muted-foreground">
                Opens the launch wizard with the job pinned to this node.
              </p>
            </>
          ) : (
            <p className="text-xs text-muted-foreground">
              {node.quarantine
                ? 'Not taking jobs: this node is quarantined.'
                : 'Not taking jobs now: this node is not listed.'}
            </p>
          )}
        </div>
      </header>

      {node.quarantine ? <QuarantineNotice quarantine={node.quarantine} /> : null}

      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <h2 className="font-semibold">Uptime, last 30 days</h2>
          <p className="mt-1 text-sm text-muted-foreground">
            Reliability <strong className="text-foreground">{formatPercent(node.reliability)}</strong> — share
            of the last 30 days the node was online, from its status history.
          </p>
          <div className="mt-3">
            <UptimeChart data={node.uptime30d} />
          </div>
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-muted-foreground">Uptime by day (table)</summary>
            <table className="tabular mt-2 text-sm">
              <caption className="sr-only">Daily uptime</caption>
              <TableHead
                columns={['Day (UTC)', { label: 'Uptime', align: 'right' }]}
                cellClassName="pr-6 text-foreground"
              />
              <tbody>
                {node.uptime30d.map((d) => (
                  <tr key={d.day}>
                    <td className="pr-6">{d.day}</td>
                    <td className="text-right">
                      {d.uptime === null ? 'not listed' : formatPercent(d.uptime)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </Card>
        <Card>
          <h2 className="font-semibold">Hardware</h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>

      <Card>
        <h2 className="font-semibold">Price against the market</h2>
        <div className="mt-3">
          <PriceBand
            priceMicros={node.priceMicros}
            p10={node.market.p10PriceMicros}
            median={node.market.medianPriceMicros}
            p90={node.market.p90PriceMicros}
          />
        </div>
      </Card>

      <Card>
        <h2 className="font-semibold">Verification record</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          A <strong className="text-foreground">benchmark</strong> (at registration, then periodically) times
          a GPU proof — matrix products from a server seed, spot-checked on rounds picked after the node
          committed — which must be right and within the claimed GPU model’s time bound. A node whose agent
          cannot run it is only <em>declared</em>, never shown as verified.{' '}
          <strong className="text-foreground">Canary jobs</strong> with known answers are mixed into the
          node’s work, indistinguishable from other jobs; a wrong answer fails. A failed check quarantines the
          node.
        </p>
        <div className="mt-3">
          <VerificationSummary verification={node.verification} now={now} />
        </div>
        <h3 className="mt-4 text-sm font-semibold">History</h3>
        <div className="mt-2">
          <VerificationHistory history={node.verification.history} />
        </div>
      </Card>

      <Card>
        <h2 className="font-semibold">GPUs</h2>
        <ul className="mt-2 grid gap-1 font-mono text-xs sm:grid-cols-2">
          {hw.gpus.map((g) => (
            <li key={g.index}>
              #{g.index} {g.serial}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
