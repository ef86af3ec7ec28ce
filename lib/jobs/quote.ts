import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { offers } from '@/lib/db/schema';
import { balanceOf, getBalances } from '@/lib/ledger/operations';
import type { z } from 'zod';
import type { quoteRequestSchema, quoteSchema } from '@/lib/jobs/schemas';
import { estimatedHours, jobTemplate } from '@/lib/jobs/templates';
import { expectedCostMicros } from '@/lib/scheduler/ranking';

type QuoteRequest = z.infer<typeof quoteRequestSchema>;
type Quote = z.infer<typeof quoteSchema>;

/** Candidate offers looked at per quote: the cheapest by price per unit of work among the matches. */
const CANDIDATES = 200;
const OPTIONS = 5;

/** The offer filter a job's requirements make (also what "matching offers" counts). */
export function offerMatchFilter(requirements: QuoteRequest['requirements']): SQL | undefined {
  const conditions: SQL[] = [gte(offers.freeGpus, requirements.gpuCount)];
  if (requirements.gpuModels.length) conditions.push(inArray(offers.gpuModel, requirements.gpuModels));
  if (requirements.minVramGb > 0) conditions.push(gte(offers.vramGb, requirements.minVramGb));
  if (requirements.region) conditions.push(eq(offers.region, requirements.region));
  if (requirements.maxPricePerGpuHourMicros)
    conditions.push(lte(offers.priceMicros, BigInt(requirements.maxPricePerGpuHourMicros)));
  if (requirements.nodeId) conditions.push(eq(offers.nodeId, requirements.nodeId));
  return and(...conditions);
}

/**
 * Quotes a job against the live offers: how many can run it now, the best few by expected cost (price for
 * the estimated hours on that model, weighed by reliability), the range of hours and cost over them, and —
 * for a signed-in caller — whether the balance covers the budget and the budget covers the estimate.
 */
export async function quoteJob(db: Db, accountId: string | null, request: QuoteRequest): Promise<Quote> {
  const template = jobTemplate(request.template);
  const where = offerMatchFilter(request.requirements);
  const [countRows, rows, balances] = await Promise.all([
    db
      .select({ n: sql<string>`count(*)` })
      .from(offers)
      .where(where),
    db.select().from(offers).where(where).orderBy(offers.pricePerWorkMicros, offers.nodeId).limit(CANDIDATES),
    accountId ? getBalances(db, accountId) : Promise.resolve(null),
  ]);
  const job = {
    template: request.template,
    gpuCount: request.requirements.gpuCount,
    workUnits: request.workUnits,
  };
  const options = rows
    .map((offer) => ({
      offer,
      score: expectedCostMicros(
        {
          gpuModel: offer.gpuModel,
          priceMicros: offer.priceMicros,
          reliabilityBp: offer.reliabilityBp,
          verified: offer.verified,
        },
        job,
      ),
      hours: estimatedHours(request.template, offer.gpuModel, job.gpuCount, job.workUnits),
    }))
    .sort((a, b) => a.score - b.score)
    .slice(0, OPTIONS)
    .map(({ offer, hours }) => ({
      nodeId: offer.nodeId,
      gpuModel: offer.gpuModel,
      region: offer.region,
      freeGpus: offer.freeGpus,
      priceMicros: offer.priceMicros.toString(),
      reliabilityBp: offer.reliabilityBp,
      verified: offer.verified,
      estimatedHours: hours,
      estimatedCostMicros: BigInt(Math.ceil(Number(offer.priceMicros) * job.gpuCount * hours)).toString(),
    }));

  const estimate = options.length
    ? {
        hoursMin: Math.min(...options.map((o) => o.estimatedHours)),
        hoursMax: Math.max(...options.map((o) => o.estimatedHours)),
        costMinMicros: options
          .map((o) => BigInt(o.estimatedCostMicros))
          .reduce((a, b) => (b < a ? b : a))
          .toString(),
        costMaxMicros: options
          .map((o) => BigInt(o.estimatedCostMicros))
          .reduce((a, b) => (b > a ? b : a))
          .toString(),
      }
    : null;
  const budget = request.budgetMicros ? BigInt(request.budgetMicros) : null;
  const available = balances ? balanceOf(balances, 'customer_available') : null;
  return {
    unit: template.unit,
    matchingOffers: Number(countRows[0]?.n ?? 0),
    options,
    estimate,
    runway:
      available === null
        ? null
        : {
            availableMicros: available.toString(),
            budgetMicros: budget?.toString() ?? null,
            budgetFits: budget === null ? null : available >= budget,
            budgetCoversEstimate:
              budget === null || !estimate ? null : budget >= BigInt(estimate.costMaxMicros),
          },
  };
}
