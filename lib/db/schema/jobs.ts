import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import { timestamptz } from '@/lib/db/schema/columns';
import { nodes } from '@/lib/db/schema/nodes';
import { JOB_TEMPLATE_IDS, JOB_STATES, ATTEMPT_STATES, JOB_KINDS } from '@/lib/enums';

export const jobTemplate = pgEnum('job_template', JOB_TEMPLATE_IDS);

/** queued → scheduled → running → succeeded | failed | cancelled | out_of_budget (and back to queued on failover). */
export const jobState = pgEnum('job_state', JOB_STATES);

/** One placement of a job on a node. Active while assigned or running; every other state is final. */
export const attemptState = pgEnum('attempt_state', ATTEMPT_STATES);

/** customer: launched and paid by an account. canary: a known-answer check the platform mixes into a node's work (unpaid). */
export const jobKind = pgEnum('job_kind', JOB_KINDS);

/** One input of a job: an uploaded file, or an https URL the agent fetches. */
export interface JobInputRecord {
  name: string;
  fileId: string | null;
  url: string | null;
  sha256: string | null;
  sizeBytes: number | null;
}

/** One output of a finished job, as uploaded and verified. */
export interface JobOutputRecord {
  fileId: string;
  name: string;
  sizeBytes: number;
  sha256: string;
}

export type JobKind = (typeof jobKind.enumValues)[number];
export type JobTemplateId = (typeof jobTemplate.enumValues)[number];
export type JobState = (typeof jobState.enumValues)[number];
export type AttemptState = (typeof attemptState.enumValues)[number];

export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerAccountId: uuid('owner_account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    kind: jobKind('kind').notNull().default('customer'),
    template: jobTemplate('template').notNull(),
    image: text('image').notNull(),
    command: jsonb('command').$type<string[]>().notNull(),
    env: jsonb('env').$type<Record<string, string>>().notNull(),
    /** Files the workload reads, fetched by the agent before it starts (lib/files). */
    inputs: jsonb('inputs').$type<JobInputRecord[]>().notNull().default([]),
    /** What the finished job wrote (name, size, sha256), kept for the receipt even after the files are deleted. */
    outputs: jsonb('outputs').$type<JobOutputRecord[]>().notNull().default([]),
    /** GPU models accepted (empty = any). */
    gpuModels: jsonb('gpu_models').$type<string[]>().notNull(),
    gpuCount: integer('gpu_count').notNull(),
    minVramGb: integer('min_vram_gb').notNull(),
    region: text('region'),
    /** Only this node (the "Launch on this node" path); null = anywhere that matches. */
    pinnedNodeId: uuid('pinned_node_id').references(() => nodes.id),
    maxPricePerGpuHourMicros: bigint('max_price_per_gpu_hour_micros', { mode: 'bigint' }),
    /** The budget cap, held from the customer's available balance at launch. */
    budgetMicros: bigint('budget_micros', { mode: 'bigint' }).notNull(),
    /** Units of work the job must do (tokens, steps, frames, reference GPU-hours × 1,000 for custom). */
    workUnits: bigint('work_units', { mode: 'number' }).notNull(),
    /** sha256 of the canonical spec: what the receipt commits to. */
    specHash: text('spec_hash').notNull(),
    state: jobState('state').notNull(),
    /** Why the job is in its state, in words (e.g. "Budget exhausted at 64 % progress"). */
    stateReason: text('state_reason'),
    /** Last reported progress of the current attempt, in work units. */
    progressUnits: bigint('progress_units', { mode: 'number' }).notNull().default(0),
    /** Progress saved by the last checkpoint: where a requeued job resumes. */
    checkpointUnits: bigint('checkpoint_units', { mode: 'number' }).notNull().default(0),
    checkpointRef: text('checkpoint_ref'),
    /** The current lease's fencing token; incremented on every placement. */
    fencingToken: bigint('fencing_token', { mode: 'number' }).notNull().default(0),
    attemptCount: integer('attempt_count').notNull().default(0),
    /** Captured from the hold so far (supplier share + fee). */
    chargedMicros: bigint('charged_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /** Returned to the available balance when the job ended. */
    releasedMicros: bigint('released_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /** Whether the job came from the simulated demand stream (shown as such). */
    simulated: boolean('simulated').notNull().default(false),
    /**
     * When work of this job was found suspect: a node that ran it was quarantined afterwards (its attempts since
     * its last passed benchmark are refunded; lib/verification/remedies.ts). Null when nothing is suspect.
     */
    suspectAt: timestamptz('suspect_at'),
    /** Refunded to the customer for suspect attempts (not part of `chargedMicros`'s budget accounting). */
    refundedMicros: bigint('refunded_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /** The job this one re-runs (the one-click re-run of suspect work); null otherwise. */
    rerunOfJobId: uuid('rerun_of_job_id'),
    /** Position in the queue: launch time, kept on requeue so a failed-over job keeps its place. */
    queuedAt: timestamptz('queued_at').notNull(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    index('jobs_owner_created_idx').on(t.ownerAccountId, t.createdAt, t.id),
    index('jobs_queue_idx')
      .on(t.queuedAt, t.id)
      .where(sql`${t.state} = 'queued'`),
    index('jobs_active_idx')
      .on(t.state)
      .where(sql`${t.state} in ('scheduled', 'running')`),
    // The metrics rollups read finished customer jobs by their end time.
    index('jobs_customer_finished_idx')
      .on(t.finishedAt)
      .where(sql`${t.kind} = 'customer' and ${t.finishedAt} is not null`),
    check('jobs_gpu_count_positive', sql`${t.gpuCount} > 0`),
    check('jobs_budget_positive', sql`${t.budgetMicros} > 0 or ${t.kind} = 'canary'`),
    check('jobs_charge_within_budget', sql`${t.chargedMicros} + ${t.releasedMicros} <= ${t.budgetMicros}`),
    check('jobs_refund_within_charge', sql`${t.refundedMicros} between 0 and ${t.chargedMicros}`),
    // One re-run per suspect job, however many clicks race.
    uniqueIndex('jobs_rerun_of_key')
      .on(t.rerunOfJobId)
      .where(sql`${t.rerunOfJobId} is not null`),
  ],
);

export const jobAttempts = pgTable(
  'job_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    number: integer('number').notNull(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id),
    /** The supplier paid for this attempt (the node's owner at placement). */
    supplierAccountId: uuid('supplier_account_id')
      .notNull()
      .references(() => accounts.id),
    gpuIndexes: jsonb('gpu_indexes').$type<number[]>().notNull(),
    /** GPU serials at placement, for the receipt. */
    gpuSerials: jsonb('gpu_serials').$type<string[]>().notNull(),
    gpuModel: text('gpu_model').notNull(),
    fencingToken: bigint('fencing_token', { mode: 'number' }).notNull(),
    /** Price locked at placement. */
    pricePerGpuHourMicros: bigint('price_per_gpu_hour_micros', { mode: 'bigint' }).notNull(),
    takeRateBp: integer('take_rate_bp').notNull(),
    state: attemptState('state').notNull(),
    endReason: text('end_reason'),
    /** Progress the attempt resumed from. */
    resumedFromUnits: bigint('resumed_from_units', { mode: 'number' }).notNull(),
    /** Heartbeat-backed running time, counted but not yet settled (lost if the host vanishes first). */
    pendingMs: bigint('pending_ms', { mode: 'number' }).notNull().default(0),
    /** Heartbeat-backed running time settled at checkpoints or the end: what was charged. */
    meteredMs: bigint('metered_ms', { mode: 'number' }).notNull().default(0),
    /** Heartbeat-backed time that was never charged (since the last checkpoint on a lost host). */
    forfeitedMs: bigint('forfeited_ms', { mode: 'number' }).notNull().default(0),
    chargedMicros: bigint('charged_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    supplierMicros: bigint('supplier_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    feeMicros: bigint('fee_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /** What the workload reported as its result (`BACKFILL_RESULT`), e.g. a digest of its output. */
    resultDigest: text('result_digest'),
    /** The last heartbeat that reported this attempt. */
    lastReportAt: timestamptz('last_report_at'),
    /** Set when the node was quarantined later and this attempt ran after its last passed benchmark. */
    suspectAt: timestamptz('suspect_at'),
    assignedAt: timestamptz('assigned_at').notNull(),
    runningAt: timestamptz('running_at'),
    endedAt: timestamptz('ended_at'),
  },
  (t) => [
    unique('job_attempts_job_number_key').on(t.jobId, t.number),
    index('job_attempts_node_active_idx')
      .on(t.nodeId)
      .where(sql`${t.state} in ('assigned', 'running')`),
    index('job_attempts_job_idx').on(t.jobId, t.number),
    index('job_attempts_node_time_idx').on(t.nodeId, t.assignedAt),
    // Time to schedule: first placements by time.
    index('job_attempts_first_assigned_idx')
      .on(t.assignedAt)
      .where(sql`${t.number} = 1`),
    check('job_attempts_charge_split', sql`${t.chargedMicros} = ${t.supplierMicros} + ${t.feeMicros}`),
  ],
);

/**
 * GPUs held by active attempts. The primary key makes double-booking a GPU impossible, whichever scheduler
 * or transaction tries; the row is deleted when the attempt ends.
 */
export const gpuLeases = pgTable(
  'gpu_leases',
  {
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id),
    gpuIndex: integer('gpu_index').notNull(),
    attemptId: uuid('attempt_id')
      .notNull()
      .references(() => jobAttempts.id),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'gpu_leases_pkey', columns: [t.nodeId, t.gpuIndex] }),
    index('gpu_leases_attempt_idx').on(t.attemptId),
  ],
);

/**
 * Append-only history of every job, written in the same transaction as each state change: the source of
 * the live stream (SSE ids are these ids), the timeline, logs and telemetry on the job page.
 */
export const jobEvents = pgTable(
  'job_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [
    index('job_events_job_idx').on(t.jobId, t.id),
    index('job_events_job_type_idx').on(t.jobId, t.type, t.id),
  ],
);

/** One-time tokens a supplier hands to a new machine's agent to register it. */
export const nodeRegistrationTokens = pgTable('node_registration_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  ownerAccountId: uuid('owner_account_id')
    .notNull()
    .references(() => accounts.id),
  expiresAt: timestamptz('expires_at').notNull(),
  usedAt: timestamptz('used_at'),
  nodeId: uuid('node_id').references(() => nodes.id),
  createdAt: timestamptz('created_at').notNull(),
});

/** Signed job receipts, one per finished job. */
export const jobReceipts = pgTable('job_receipts', {
  jobId: uuid('job_id')
    .primaryKey()
    .references(() => jobs.id),
  /** The canonical JSON that was signed. */
  payload: text('payload').notNull(),
  signer: text('signer').notNull(),
  signature: text('signature').notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type JobAttempt = typeof jobAttempts.$inferSelect;
export type JobEvent = typeof jobEvents.$inferSelect;
