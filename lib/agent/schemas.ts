import { z } from 'zod';
import { displayNameSchema, logTextSchema } from '@/lib/api/text';
import { isoDateSchema } from '@/lib/api/common-schemas';
import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';
import { jobTemplateSchema } from '@/lib/jobs/schemas';
import { agentVersionSchema } from '@/lib/agent/version';
import { nodePriceMicrosSchema } from '@/lib/supplier/schemas';

/**
 * The node agent protocol. An agent registers once with a one-time token from its supplier and receives a
 * node token; from then on it heartbeats. Each heartbeat carries the node's status, GPU telemetry and a report
 * per lease it holds (progress, log lines, completion); the reply carries new assignments (with signed URLs for
 * their inputs and the checkpoint to resume from) and cancellations. Checkpoints and outputs travel apart,
 * through the upload calls of lib/files/schemas.ts: a checkpoint counts only once acknowledged there. Every
 * lease report carries the lease's fencing token; a stale one is refused and earns nothing. Documented in
 * docs/agent.md.
 */

export const AGENT_PROTOCOL_VERSION = 1;

export const gpuTelemetrySchema = z
  .strictObject({
    index: z.number().int().min(0).max(15),
    utilizationPct: z.number().min(0).max(100),
    memoryUsedMb: z.number().int().min(0).max(1_000_000),
    temperatureC: z.number().min(-20).max(130),
    powerW: z.number().min(0).max(2_000),
  })
  .meta({ id: 'GpuTelemetry' });

export const registeredGpuSchema = z
  .strictObject({
    index: z.number().int().min(0).max(15),
    model: z.enum(GPU_MODEL_IDS),
    vramGb: z.number().int().min(1).max(512),
    serial: displayNameSchema(100),
  })
  .meta({ id: 'RegisteredGpu' });

/** The most GPUs one node may register (one machine; a bigger host registers as several nodes). */
export const MAX_NODE_GPUS = 16;

/** How many GPUs a node declares or registers. */
export const nodeGpuCountSchema = z
  .number({ error: 'must be a whole number of GPUs' })
  .int('must be a whole number of GPUs')
  .min(1, 'must be at least 1 GPU')
  .max(MAX_NODE_GPUS, `must be at most ${MAX_NODE_GPUS} GPUs`);

export const registerRequestSchema = z
  .strictObject({
    registrationToken: z.string().min(10).max(200),
    name: displayNameSchema(60),
    region: z.enum(REGION_IDS),
    pricePerGpuHourMicros: nodePriceMicrosSchema,
    gpus: z
      .array(registeredGpuSchema)
      .min(1)
      .max(MAX_NODE_GPUS)
      .refine(
        (gpus) => gpus.every((_, i) => gpus.some((g) => g.index === i)),
        'GPU indexes must be 0…n-1, each once (as nvidia-smi numbers them)',
      )
      .refine((gpus) => new Set(gpus.map((g) => g.model)).size === 1, 'all GPUs of a node must be one model'),
    cpuCores: z.number().int().min(1).max(1_024),
    ramGb: z.number().int().min(1).max(16_384),
    diskGb: z.number().int().min(1).max(1_000_000),
    bandwidthMbps: z.number().int().min(1).max(400_000),
    cudaVersion: z.string().regex(/^\d{1,2}\.\d{1,2}$/, 'must look like "12.4"'),
    interconnect: z.enum(['nvlink', 'pcie']).default('pcie'),
    agentVersion: agentVersionSchema.optional(),
  })
  .meta({ id: 'AgentRegisterRequest' });

export const registerResponseSchema = z
  .object({
    nodeId: z.uuid(),
    nodeToken: z.string().meta({ description: 'Shown once: authenticates every heartbeat (Bearer).' }),
    heartbeatIntervalMs: z.number().int(),
    lostAfterMs: z.number().int(),
  })
  .meta({ id: 'AgentRegisterResponse' });

export const logLineSchema = z
  .strictObject({
    at: isoDateSchema,
    stream: z.enum(['stdout', 'stderr', 'agent']),
    text: logTextSchema(4_000).meta({
      description: 'The line as printed; NUL and unpaired surrogates are stored as U+FFFD.',
    }),
  })
  .meta({ id: 'AgentLogLine' });

export const leaseReportSchema = z
  .strictObject({
    attemptId: z.uuid(),
    fencingToken: z.number().int().min(1),
    state: z
      .enum(['running', 'completed', 'failed'])
      .meta({ description: 'running while the workload runs; completed or failed once it has exited.' }),
    progressUnits: z.number().int().min(0).max(1e15),
    logs: z.array(logLineSchema).max(500).default([]),
    exitCode: z.number().int().optional(),
    error: logTextSchema(2_000).optional(),
    result: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (a sha256 digest)')
      .optional()
      .meta({
        description:
          'With `completed`: the result the workload printed (`BACKFILL_RESULT <sha256 hex>`), recorded on the receipt.',
      }),
  })
  .meta({ id: 'AgentLeaseReport' });
export type LeaseReport = z.infer<typeof leaseReportSchema>;

const hexDigestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

const proofRevealSchema = z
  .strictObject({
    round: z.number().int().min(0).max(1_000_000),
    fingerprint: z
      .string()
      .max(350_000)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
      .meta({ description: "base64 of the round's fingerprint vector: m little-endian uint32." }),
    path: z
      .array(hexDigestSchema)
      .max(40)
      .meta({ description: "The Merkle path from the round's leaf to the root, leaf level first." }),
  })
  .meta({ id: 'AgentProofReveal' });
export type ProofRevealWire = z.infer<typeof proofRevealSchema>;

export const benchmarkAnswerSchema = z
  .discriminatedUnion('phase', [
    z.strictObject({
      challengeId: z.uuid(),
      phase: z
        .literal('ack')
        .meta({ description: 'Sent at once when a challenge arrives: the clock starts.' }),
    }),
    z.strictObject({
      challengeId: z.uuid(),
      phase: z.literal('commit'),
      root: hexDigestSchema.meta({
        description: "The Merkle root over every round's leaf: the clock stops.",
      }),
    }),
    z.strictObject({
      challengeId: z.uuid(),
      phase: z.literal('reveal'),
      reveals: z
        .array(proofRevealSchema)
        .min(1)
        .max(16)
        .meta({ description: 'The rounds the reply asked for.' }),
    }),
    z.strictObject({
      challengeId: z.uuid(),
      phase: z.literal('unsupported'),
      reason: logTextSchema(500).meta({
        description: 'This agent cannot run the GPU proof (no GPU engine): the node is listed as declared.',
      }),
    }),
  ])
  .meta({ id: 'AgentBenchmarkAnswer' });
export type BenchmarkAnswer = z.infer<typeof benchmarkAnswerSchema>;

export const heartbeatRequestSchema = z
  .strictObject({
    status: z
      .enum(['online', 'draining'])
      .default('online')
      .meta({ description: 'draining: finish current leases, take no new ones.' }),
    telemetry: z.array(gpuTelemetrySchema).max(16).default([]),
    leases: z.array(leaseReportSchema).max(16).default([]),
    benchmark: benchmarkAnswerSchema.optional().meta({
      description:
        'The GPU proof of an earlier reply, phase by phase: ack at once, commit when computed, reveal when asked.',
    }),
    agentVersion: agentVersionSchema.optional(),
  })
  .meta({ id: 'AgentHeartbeatRequest' });
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;
export type HeartbeatRequestInput = z.input<typeof heartbeatRequestSchema>;

export const assignmentInputSchema = z
  .object({
    name: z.string().meta({ description: 'Relative path in the input directory.' }),
    url: z
      .string()
      .meta({ description: 'Where to GET it: a short-lived signed URL, or the customer’s https URL.' }),
    sha256: z
      .string()
      .nullable()
      .meta({ description: 'The bytes must hash to it (null: an unverified URL).' }),
    sizeBytes: z.number().int().nullable(),
  })
  .meta({ id: 'AgentAssignmentInput' });

export const assignmentSchema = z
  .object({
    attemptId: z.uuid(),
    jobId: z.uuid(),
    fencingToken: z.number().int(),
    template: jobTemplateSchema,
    image: z.string(),
    command: z.array(z.string()),
    env: z.record(z.string(), z.string()),
    gpuIndexes: z.array(z.number().int()),
    workUnits: z.number().int(),
    inputs: z.array(assignmentInputSchema).meta({
      description: 'Files to download, verify and place in the input directory before the workload starts.',
    }),
    resumeFrom: z
      .object({
        units: z.number().int(),
        ref: z
          .string()
          .nullable()
          .meta({ description: 'The kept checkpoint file’s name (null: from the start).' }),
        checkpoint: assignmentInputSchema
          .extend({ sha256: z.string(), sizeBytes: z.number().int() })
          .nullable()
          .meta({ description: 'The kept checkpoint to download into the checkpoint directory first.' }),
      })
      .meta({ description: 'Where to resume (units 0 and checkpoint null: from the start).' }),
  })
  .meta({ id: 'AgentAssignment' });
export type Assignment = z.infer<typeof assignmentSchema>;

export const cancellationSchema = z
  .object({
    attemptId: z.uuid(),
    reason: z
      .enum(['cancelled', 'out_of_budget', 'lease_lost', 'stale_token'])
      .meta({ description: 'Stop the workload; a stale or lost lease earns nothing more.' }),
  })
  .meta({ id: 'AgentCancellation' });
export type Cancellation = z.infer<typeof cancellationSchema>;

export const benchmarkChallengeSchema = z
  .object({
    challengeId: z.uuid(),
    seed: z.string().meta({ description: '16 bytes of hex: every matrix of the GPU proof derives from it.' }),
    lanes: z
      .number()
      .int()
      .meta({ description: 'GPUs to spread the rounds over (round r on GPU r mod lanes).' }),
    m: z.number().int().meta({ description: 'Rows of A_r and columns of B (docs/verification.md).' }),
    k: z.number().int().meta({ description: 'The inner dimension (columns of A_r, rows of B).' }),
    rounds: z.number().int().meta({ description: 'Products C_r = A_r·B to compute and commit to.' }),
    referenceMs: z.number().int().meta({
      description:
        'How long an honest GPU of the claimed model takes; the server times acknowledgement to commit.',
    }),
    reveal: z.array(z.number().int()).nullable().meta({
      description: 'Once the root arrived: the rounds to reveal (untimed). Null before.',
    }),
  })
  .meta({ id: 'AgentBenchmarkChallenge' });
export type BenchmarkChallenge = z.infer<typeof benchmarkChallengeSchema>;

export const heartbeatResponseSchema = z
  .object({
    serverTime: isoDateSchema,
    heartbeatIntervalMs: z.number().int(),
    assignments: z
      .array(assignmentSchema)
      .meta({ description: 'Leases to start (repeated until reported).' }),
    cancellations: z.array(cancellationSchema),
    benchmark: benchmarkChallengeSchema.nullable().meta({
      description:
        'A benchmark challenge to run now on the idle GPUs (repeated until answered); null when there is none.',
    }),
  })
  .meta({ id: 'AgentHeartbeatResponse' });
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

export const registrationTokenSchema = z
  .object({
    registrationToken: z.string().meta({ description: 'Shown once; single use.' }),
    expiresAt: isoDateSchema,
  })
  .meta({ id: 'NodeRegistrationToken' });
