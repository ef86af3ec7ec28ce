import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import {
  NODE_STATUSES,
  INTERCONNECTS,
  VERIFICATION_STATES,
  VERIFICATION_METHODS,
  VERIFICATION_RESULTS,
} from '@/lib/enums';

export const nodeStatus = pgEnum('node_status', NODE_STATUSES);
export const interconnect = pgEnum('interconnect', INTERCONNECTS);
/**
 * unverified: not proven yet; verified: passed its GPU proof; failed: failed a check (quarantined); declared: its
 * agent cannot run the GPU proof, so its hardware is only declared (listed on request, never shown as verified).
 */
export const verificationState = pgEnum('verification_state', VERIFICATION_STATES);
export const verificationMethod = pgEnum('verification_method', VERIFICATION_METHODS);
export const verificationResult = pgEnum('verification_result', VERIFICATION_RESULTS);

export interface GpuTelemetry {
  index: number;
  utilizationPct: number;
  memoryUsedMb: number;
  temperatureC: number;
  powerW: number;
}

export type NodeStatus = (typeof nodeStatus.enumValues)[number];
export type Interconnect = (typeof interconnect.enumValues)[number];
export type VerificationState = (typeof verificationState.enumValues)[number];

/** A supplier machine. All GPUs of a node are one model (the usual case for rented servers). */
export const nodes = pgTable(
  'nodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerAccountId: uuid('owner_account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    region: text('region').notNull(),
    gpuModel: text('gpu_model').notNull(),
    gpuCount: integer('gpu_count').notNull(),
    vramGb: integer('vram_gb').notNull(),
    interconnect: interconnect('interconnect').notNull(),
    bandwidthMbps: integer('bandwidth_mbps').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    ramGb: integer('ram_gb').notNull(),
    diskGb: integer('disk_gb').notNull(),
    cudaVersion: text('cuda_version').notNull(),
    /** Price per GPU-hour in micro-USDC. */
    pricePerGpuHourMicros: bigint('price_per_gpu_hour_micros', { mode: 'bigint' }).notNull(),
    status: nodeStatus('status').notNull().default('offline'),
    statusSince: timestamp('status_since', { withTimezone: true, mode: 'date' }).notNull(),
    lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true, mode: 'date' }),
    verificationState: verificationState('verification_state').notNull().default('unverified'),
    /** When and why the node was quarantined (public on its offer page); null while it is not. */
    quarantinedAt: timestamp('quarantined_at', { withTimezone: true, mode: 'date' }),
    quarantineReason: text('quarantine_reason'),
    /** sha256 of the node's agent token (the agent authenticates every heartbeat with it). */
    tokenHash: text('token_hash'),
    /** The latest GPU telemetry the agent reported (utilisation, memory, temperature, power per GPU). */
    lastTelemetry: jsonb('last_telemetry').$type<GpuTelemetry[]>(),
    /** The agent version the node last reported (registration or an accepted heartbeat); null: never said. */
    agentVersion: text('agent_version'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('nodes_owner_idx').on(t.ownerAccountId),
    index('nodes_model_idx').on(t.gpuModel),
    uniqueIndex('nodes_token_hash_key').on(t.tokenHash),
  ],
);

/** The individual GPUs of a node, as the agent reports them. */
export const nodeGpus = pgTable(
  'node_gpus',
  {
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    index: integer('index').notNull(),
    model: text('model').notNull(),
    vramGb: integer('vram_gb').notNull(),
    serial: text('serial').notNull(),
  },
  (t) => [primaryKey({ name: 'node_gpus_pkey', columns: [t.nodeId, t.index] })],
);

/**
 * Status history as closed intervals; the open interval (ended_at null) is the current status.
 * Uptime and reliability are computed from these rows, never stored as typed-in figures.
 */
export const nodeStatusIntervals = pgTable(
  'node_status_intervals',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    status: nodeStatus('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('node_status_intervals_node_time_idx').on(t.nodeId, t.startedAt)],
);

/** Each verification run of a node: how it was checked, what was measured, and the verdict. */
export const nodeVerifications = pgTable(
  'node_verifications',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    method: verificationMethod('method').notNull(),
    result: verificationResult('result').notNull(),
    /** Measured throughput relative to the reference GPU (A100 80GB = 1.0). */
    measuredScore: real('measured_score').notNull(),
    expectedMin: real('expected_min').notNull(),
    expectedMax: real('expected_max').notNull(),
    detail: text('detail').notNull(),
    /** The benchmark challenge (method benchmark) or canary job (method canary) this verdict is about. */
    challengeId: uuid('challenge_id'),
    jobId: uuid('job_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('node_verifications_node_time_idx').on(t.nodeId, t.createdAt),
    // Each node's latest passed check in one index probe (the public metrics' "verified GPUs online now").
    index('node_verifications_node_pass_idx')
      .on(t.nodeId, t.createdAt)
      .where(sql`${t.result} = 'pass'`),
  ],
);

export type Node = typeof nodes.$inferSelect;
export type NewNode = typeof nodes.$inferInsert;
export type NodeStatusInterval = typeof nodeStatusIntervals.$inferSelect;
export type NodeVerification = typeof nodeVerifications.$inferSelect;
