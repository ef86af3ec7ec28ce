import { sql, type SQL } from 'drizzle-orm';

/**
 * Self-dealing: usage where the customer paying and the supplier paid are the same party, as far as the records
 * tell. It is excluded from every paid-usage metric (paid GPU-hours, paid demand, take rate, paying customers,
 * cohorts, net revenue retention, top-10 share, utilization's numerator, job outcomes) and published apart
 * (the `self-dealing` metric). The rule lives here once, as SQL, so the rollups and the public raw exports
 * decide it the same way.
 *
 * A customer account C and a supplier account S deal with themselves when
 *   1. C = S (a customer's job placed on a node of its own account), or
 *   2. C has a credited on-chain deposit sent from S's wallet address (`deposits.from_address` =
 *      S's `accounts.wallet_address`), or
 *   3. S has a payout, in any state but failed, to C's wallet address (`payouts.to_address` =
 *      C's `accounts.wallet_address`).
 * Addresses are compared case-insensitively. The supplier of a charge is the attempt's
 * `job_attempts.supplier_account_id` (the node's owner at placement); the customer is the job's owner.
 * The links are read when the rollups are refreshed: a link that appears later reclassifies earlier usage
 * at the next full rebuild (`rebuildMetricRollups`), not in the incremental refresh of recent days.
 */

/**
 * The wallet-linked (customer, supplier) pairs of rules 2 and 3, as a select of `customer_id, supplier_id`
 * (pairs where the two are the same account are rule 1 and need no row).
 */
export function linkedAccountPairsSql(): SQL {
  return sql`select d.account_id as customer_id, s.id as supplier_id
               from deposits d
               join accounts s on lower(s.wallet_address) = lower(d.from_address)
              where d.state = 'credited' and d.account_id is not null and d.from_address is not null
             union
             select c.id as customer_id, p.account_id as supplier_id
               from payouts p
               join accounts c on lower(c.wallet_address) = lower(p.to_address)
              where p.state <> 'failed' and p.source = 'supplier_earnings'`;
}

/** A boolean SQL expression: does the customer account `customer` deal with the supplier account `supplier`? */
export function isSelfDealingSql(customer: SQL, supplier: SQL): SQL {
  return sql`(${customer} = ${supplier}
              or (${customer}, ${supplier}) in (select customer_id, supplier_id from (${linkedAccountPairsSql()}) pairs))`;
}

/**
 * A boolean SQL expression: is the job attempt with id `attemptId` self-dealt (its job's owner deals with the
 * attempt's supplier)? Charges (captures and refunds) are keyed by attempt, so this decides each charge.
 */
export function isSelfDealtAttemptSql(attemptId: SQL): SQL {
  return sql`exists (select 1 from job_attempts sa join jobs sj on sj.id = sa.job_id
                      where sa.id = ${attemptId}
                        and ${isSelfDealingSql(sql`sj.owner_account_id`, sql`sa.supplier_account_id`)})`;
}

/**
 * A boolean SQL expression: is the job with id `jobId` self-dealt (any of its attempts ran for a supplier its
 * owner deals with)? Such a job's outcome is counted apart from the customer job outcomes.
 */
export function isSelfDealtJobSql(jobId: SQL): SQL {
  return sql`exists (select 1 from job_attempts sa join jobs sj on sj.id = sa.job_id
                      where sa.job_id = ${jobId}
                        and ${isSelfDealingSql(sql`sj.owner_account_id`, sql`sa.supplier_account_id`)})`;
}
