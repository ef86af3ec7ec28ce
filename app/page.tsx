import Link from 'next/link';
import { ModelPriceTable } from '@/components/home/model-price-table';
import { PaidUsage } from '@/components/home/paid-usage';
import { buttonClasses } from '@/components/ui/button';
import { Card, Stat } from '@/components/ui/card';
import { appContext } from '@/lib/app-context';
import { readMetricsSummary, readOfferSummary } from '@/lib/cache/public-reads';
import { formatInteger } from '@/lib/format';

const PATHS = [
  {
    title: 'Rent GPUs',
    text: 'Filter by model, VRAM, region, price, reliability and verification.',
    href: '/market',
    link: 'Open the market',
  },
  {
    title: 'Supply GPUs',
    text: 'Add a machine from the supplier console with a one-time token and the node agent, watch it get verified and rented, and withdraw its earnings to your wallet.',
    href: '/supplier',
    link: 'Open the supplier console',
  },
  {
    title: 'Network metrics',
    text: 'Paid demand, retention cohorts, subsidy ratio and reconciliation to chain, each with its methodology, CSV and JSON.',
    href: '/metrics',
    link: 'Open the network metrics',
  },
] as const;

export default async function HomePage() {
  const ctx = await appContext();
  // The same cached reads the API serves (`GET /api/v1/offers/summary`, `GET /api/v1/metrics`).
  const summary = (await readOfferSummary(ctx)).value;
  const metrics = (await readMetricsSummary(ctx)).value;
  const verifiedShare = summary.gpusOnline
    ? Math.round((summary.verifiedGpusOnline / summary.gpusOnline) * 100)
    : 0;

  return (
    <div className="flex flex-col gap-8">
      <section className="flex flex-col gap-3">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Idle GPUs, rented with proof.</h1>
        <p className="max-w-2xl text-muted-foreground">
          Backfill schedules your jobs on verified GPUs from data centers, labs, miners and gamers, moves them
          when a host vanishes, and charges only for work that really ran.
        </p>
        <div className="flex flex-wrap gap-2">
          <Link href="/market" className={buttonClasses('primary')}>
            Rent GPUs
          </Link>
          <Link href="/docs/api" className={buttonClasses('secondary')}>
            Marketplace API
          </Link>
        </div>
      </section>

      <section aria-labelledby="network-now">
        <h2 id="network-now" className="mb-3 text-lg font-semibold">
          The network now
        </h2>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat
            label="Verified GPUs online"
            value={formatInteger(summary.verifiedGpusOnline)}
            hint={`${verifiedShare}% of online GPUs passed a hardware benchmark`}
          />
          <Stat label="GPUs online" value={formatInteger(summary.gpusOnline)} />
          <Stat label="GPUs free to rent" value={formatInteger(summary.gpusAvailable)} />
          <Stat label="Nodes online" value={formatInteger(summary.nodesOnline)} />
        </dl>
        <p className="mt-2 text-xs text-muted-foreground">
          As of {new Date(summary.generatedAt).toUTCString()}.
        </p>
      </section>

      <PaidUsage summary={metrics} />

      <section aria-labelledby="prices">
        <h2 id="prices" className="mb-3 text-lg font-semibold">
          Prices by GPU model
        </h2>
        <ModelPriceTable models={summary.models} />
        <p className="mt-2 text-xs text-muted-foreground">
          P10, median and P90 of listed prices per GPU-hour. Relative speed is peak dense FP16/BF16 tensor
          throughput against an A100 80GB.
        </p>
      </section>

      <section aria-labelledby="paths" className="grid gap-3 md:grid-cols-3">
        <h2 id="paths" className="sr-only">
          Where to go next
        </h2>
        {PATHS.map((path) => (
          <Card key={path.title}>
            <h3 className="font-semibold">{path.title}</h3>
            <p className="mt-1 text-sm text-muted-foreground">{path.text}</p>
            <Link href={path.href} className="mt-3 inline-block text-sm text-accent underline">
              {path.link}
            </Link>
          </Card>
        ))}
      </section>
    </div>
  );
}
