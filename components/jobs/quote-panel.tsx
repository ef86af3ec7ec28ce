import Link from 'next/link';
import { formatMoney, gpuName, regionName } from '@/components/jobs/job-labels';
import { Badge } from '@/components/ui/badge';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { formatPercent } from '@/lib/format';
import type { Quote } from '@/lib/queries/jobs';

function hours(h: number): string {
  return h < 1 ? `${Math.max(1, Math.round(h * 60))} min` : `${h.toFixed(h < 10 ? 1 : 0)} h`;
}

/** "3 min – 5 min", or one figure when both ends read the same ("3 min", not "3 min – 3 min"). */
function range(low: string, high: string): string {
  return low === high ? low : `${low} – ${high}`;
}

function Runway({ runway }: { runway: NonNullable<Quote['runway']> }) {
  const available = BigInt(runway.availableMicros);
  if (runway.budgetMicros === null)
    return (
      <p className="text-sm">
        Your available balance is <strong className="tabular">{formatMoney(available)}</strong>. Set a budget
        to compare.
      </p>
    );
  const budget = BigInt(runway.budgetMicros);
  return (
    <div className="flex flex-col gap-1 text-sm">
      {runway.budgetFits ? (
        <p className="text-success">
          Your available balance ({formatMoney(available)}) covers this budget of {formatMoney(budget)}.
        </p>
      ) : (
        <p className="text-danger">
          Your available balance ({formatMoney(available)}) is {formatMoney(budget - available)} short of this
          budget.{' '}
          <Link href="/billing" className="underline underline-offset-2">
            Deposit USDC on Billing
          </Link>{' '}
          or lower the budget.
        </p>
      )}
      {runway.budgetCoversEstimate === false ? (
        <p className="text-warning">
          The budget is below the high end of the estimate: the job may stop as out of budget before it
          finishes.
        </p>
      ) : null}
    </div>
  );
}

/** The live quote: what matches now, the best options with their estimates, the range, and runway. */
export function QuotePanel({
  quote,
  status,
  signedIn,
}: {
  quote: Quote | undefined;
  /** What the quote is doing, for the status line (read aloud politely). */
  status: string;
  signedIn: boolean;
}) {
  return (
    <section
      aria-labelledby="quote-heading"
      className="flex flex-col gap-3 rounded-lg border border-border bg-card p-4"
    >
      <h2 id="quote-heading" className="font-semibold">
        Live quote
      </h2>
      <p
        role="status"
        aria-live="polite"
        className="text-sm text-muted-foreground"
        data-testid="quote-status"
      >
        {status}
      </p>
      {quote ? (
        <>
          <p className="text-sm">
            <strong className="tabular" data-testid="matching-offers">
              {quote.matchingOffers.toLocaleString('en-US')}
            </strong>{' '}
            offer{quote.matchingOffers === 1 ? '' : 's'} can run it now.
          </p>
          {quote.estimate ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">Time</dt>
              <dd className="tabular">
                {range(hours(quote.estimate.hoursMin), hours(quote.estimate.hoursMax))}
              </dd>
              <dt className="text-muted-foreground">Cost</dt>
              <dd className="tabular" data-testid="estimate-cost">
                {range(formatMoney(quote.estimate.costMinMicros), formatMoney(quote.estimate.costMaxMicros))}
              </dd>
            </dl>
          ) : (
            <p className="text-sm text-warning">
              Nothing matches right now. Widen the GPU models, region or price, or launch anyway: the job
              waits in the queue until an offer matches.
            </p>
          )}
          <p className="text-xs text-muted-foreground">
            Estimates use each GPU model&apos;s reference throughput for the template and the offer&apos;s
            price; real hardware varies, hence the range. You pay only for heartbeat-backed time.
          </p>
          {quote.options.length > 0 ? (
            <p className="text-xs text-muted-foreground" id="quote-ranking">
              The best matches, in the order the scheduler would choose them: lowest expected cost after
              allowing for each node&apos;s reliability (a node up 90 % of the time counts as costing a ninth
              more; unverified ones a further ninth), so a steadier node can come before a cheaper one.
            </p>
          ) : null}
          {quote.options.length > 0 ? (
            <ScrollRegion label="Best options table" className="">
              <table className="w-full min-w-[420px] text-sm" aria-describedby="quote-ranking">
                <caption className="sr-only">
                  Best matching offers, lowest reliability-adjusted expected cost first
                </caption>
                <TableHead
                  columns={[
                    'GPU',
                    'Region',
                    { label: '$/GPU-hr', align: 'right' },
                    { label: 'Est. time', align: 'right' },
                    { label: 'Est. cost', align: 'right' },
                  ]}
                  cellClassName="py-1 pr-3"
                />
                <tbody className="tabular">
                  {quote.options.map((option) => (
                    <tr key={option.nodeId} className="border-t border-border align-top">
                      <td className="py-1 pr-3">
                        <Link
                          href={`/market/${option.nodeId}`}
                          className="text-accent underline-offset-2 hover:underline"
                        >
                          {gpuName(option.gpuModel)}
                        </Link>
                        <span className="flex flex-wrap gap-1 text-xs text-muted-foreground">
                          {option.verified ? (
                            <Badge tone="success">Verified</Badge>
                          ) : (
                            <Badge>Unverified</Badge>
                          )}
                          {formatPercent(option.reliabilityBp / 10_000, 0)} up
                        </span>
                      </td>
                      <td className="py-1 pr-3">{regionName(option.region)}</td>
                      <td className="py-1 pr-3 text-right">{formatMoney(option.priceMicros)}</td>
                      <td className="py-1 pr-3 text-right">{hours(option.estimatedHours)}</td>
                      <td className="py-1 pr-3 text-right">{formatMoney(option.estimatedCostMicros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : null}
          {quote.runway ? (
            <Runway runway={quote.runway} />
          ) : (
            <p className="text-sm text-muted-foreground">
              {signedIn
                ? 'Runway appears with the next quote.'
                : 'Sign in to compare the budget with your balance.'}
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
