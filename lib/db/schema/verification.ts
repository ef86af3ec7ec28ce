import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import { timestamptz } from '@/lib/db/schema/columns';
import { jobs } from '@/lib/db/schema/jobs';
import { nodes } from '@/lib/db/schema/nodes';
import { CHALLENGE_STATES, CANARY_OUTCOMES } from '@/lib/enums';

/**
 * pending (waiting for the node's next heartbeat) → sent (in a heartbeat reply; the node acknowledges it and
 * then commits to its answer) → committed (the root arrived in time; the reply asks for rounds to reveal) →
 * passed | failed. unsupported: the node cannot run the GPU proof (it is then declared, unverified). expired:
 * the node went silent (it is asked again; an expiry is not a verdict).
 */
export const challengeState = pgEnum('challenge_state', CHALLENGE_STATES);

export type ChallengeState = (typeof challengeState.enumValues)[number];

/**
 * A GPU proof challenge (lib/verification/gpu-proof.ts): `rounds` products of m×k by k×m ternary matrices from
 * `seed`, spread over `lanes` GPUs, that an honest GPU of the claimed model finishes in `referenceMs`. The server
 * times it from the node's acknowledgement (`ackAt`; an acknowledgement slower than the cap counts against the
 * node) to its commitment (`committedAt`, the Merkle `root`), then asks for `revealRounds` and checks them.
 */
export const verificationChallenges = pgTable(
  'verification_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    seed: text('seed').notNull(),
    lanes: integer('lanes').notNull(),
    /** Rows of A_r and columns of B (the proof's m). */
    rowsM: integer('rows_m').notNull(),
    /** The inner dimension (the proof's k). */
    innerK: integer('inner_k').notNull(),
    rounds: integer('rounds').notNull(),
    /** How long an honest GPU of the claimed model takes for the timed phase. */
    referenceMs: integer('reference_ms').notNull(),
    claimedModel: text('claimed_model').notNull(),
    state: challengeState('state').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    sentAt: timestamptz('sent_at'),
    /** The node's acknowledgement: the timed phase starts here. */
    ackAt: timestamptz('ack_at'),
    /** The Merkle root over the rounds' leaves, lowercase hex. */
    root: text('root'),
    committedAt: timestamptz('committed_at'),
    /** The timed phase as the server counted it (lib/verification/gpu-proof-bound.ts, timedPhaseMs). */
    elapsedMs: integer('elapsed_ms'),
    /** The rounds the node must reveal, picked when its root arrived. */
    revealRounds: integer('reveal_rounds').array(),
    answeredAt: timestamptz('answered_at'),
    /** Why the node could not run the proof (state unsupported), in its own words. */
    unsupportedReason: text('unsupported_reason'),
    /** Unanswered by then: failed (the node is still heartbeating) or expired. */
    deadlineAt: timestamptz('deadline_at'),
  },
  (t) => [
    // One open challenge per node at a time.
    uniqueIndex('verification_challenges_open_key')
      .on(t.nodeId)
      .where(sql`${t.state} in ('pending', 'sent', 'committed')`),
    index('verification_challenges_node_idx').on(t.nodeId, t.createdAt),
    check('verification_challenges_lanes', sql`${t.lanes} between 1 and 16`),
  ],
);

export const canaryOutcome = pgEnum('canary_outcome', CANARY_OUTCOMES);

/** A canary job's known answer, kept server-side; the node sees only an ordinary job. */
export const canaryChecks = pgTable(
  'canary_checks',
  {
    jobId: uuid('job_id')
      .primaryKey()
      .references(() => jobs.id),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    expectedDigest: text('expected_digest').notNull(),
    outcome: canaryOutcome('outcome').notNull().default('pending'),
    createdAt: timestamptz('created_at').notNull(),
    decidedAt: timestamptz('decided_at'),
  },
  (t) => [index('canary_checks_node_idx').on(t.nodeId, t.createdAt)],
);

/** Earnings set aside when a node is quarantined: moved from payable to held in the ledger, never paid out. */
export const earningsHolds = pgTable(
  'earnings_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    supplierAccountId: uuid('supplier_account_id')
      .notNull()
      .references(() => accounts.id),
    amountMicros: bigint('amount_micros', { mode: 'bigint' }).notNull(),
    reason: text('reason').notNull(),
    ledgerTransactionId: uuid('ledger_transaction_id'),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [index('earnings_holds_supplier_idx').on(t.supplierAccountId, t.createdAt)],
);

/**
 * One closed incentive epoch: the emission it paid (network-token micro-units), the token's USD reference
 * price at emission, and the verified online GPU-seconds it was shared over.
 */
export const incentiveEpochs = pgTable('incentive_epochs', {
  epochStart: timestamptz('epoch_start').primaryKey(),
  epochEnd: timestamptz('epoch_end').notNull(),
  emissionMicros: bigint('emission_micros', { mode: 'bigint' }).notNull(),
  /** USD per whole token, in micro-USD. */
  usdPriceMicros: bigint('usd_price_micros', { mode: 'bigint' }).notNull(),
  gpuSeconds: bigint('gpu_seconds', { mode: 'number' }).notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

/** A node's availability reward for one epoch. */
export const incentiveRewards = pgTable(
  'incentive_rewards',
  {
    epochStart: timestamptz('epoch_start')
      .notNull()
      .references(() => incentiveEpochs.epochStart),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    supplierAccountId: uuid('supplier_account_id')
      .notNull()
      .references(() => accounts.id),
    gpuSeconds: bigint('gpu_seconds', { mode: 'number' }).notNull(),
    /** Network-token micro-units. */
    amountMicros: bigint('amount_micros', { mode: 'bigint' }).notNull(),
    /** USD value at emission, micro-USD. */
    usdValueMicros: bigint('usd_value_micros', { mode: 'bigint' }).notNull(),
    ledgerTransactionId: uuid('ledger_transaction_id'),
  },
  (t) => [
    primaryKey({ name: 'incentive_rewards_pkey', columns: [t.epochStart, t.nodeId] }),
    index('incentive_rewards_supplier_idx').on(t.supplierAccountId, t.epochStart),
    index('incentive_rewards_node_idx').on(t.nodeId, t.epochStart),
  ],
);

export type VerificationChallenge = typeof verificationChallenges.$inferSelect;
export type CanaryCheck = typeof canaryChecks.$inferSelect;
export type EarningsHold = typeof earningsHolds.$inferSelect;
export type IncentiveEpoch = typeof incentiveEpochs.$inferSelect;
export type IncentiveReward = typeof incentiveRewards.$inferSelect;
