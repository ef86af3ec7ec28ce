import { z } from 'zod';
import { displayNameSchema } from '@/lib/api/text';
import { isoDateSchema, microsSchema, pageSchema, positiveMicrosSchema } from '@/lib/api/common-schemas';
import { ATTEMPT_STATES, JOB_STATES, JOB_TEMPLATE_IDS } from '@/lib/enums';
import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';
import { jobInputSchema, jobInputSpecSchema, jobOutputSchema, MAX_JOB_INPUTS } from '@/lib/files/schemas';

export const jobTemplateSchema = z.enum(JOB_TEMPLATE_IDS).meta({ id: 'JobTemplate' });
export const jobStateSchema = z.enum(JOB_STATES).meta({ id: 'JobState' });
export const attemptStateSchema = z.enum(ATTEMPT_STATES).meta({ id: 'AttemptState' });

/** A container reference: registry/name[:tag][@sha256:digest]. */
const imageSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    'must be a container image reference such as "vllm/vllm-openai:v0.6.3"',
  );

export const jobRequirementsSchema = z
  .strictObject({
    gpuModels: z
      .array(z.enum(GPU_MODEL_IDS))
      .max(GPU_MODEL_IDS.length)
      .default([])
      .meta({ description: 'Accepted GPU models; empty accepts any.' }),
    gpuCount: z.number().int().min(1).max(8).meta({ description: 'GPUs on one node.' }),
    minVramGb: z.number().int().min(0).max(200).default(0),
    region: z.enum(REGION_IDS).optional(),
    maxPricePerGpuHourMicros: positiveMicrosSchema.optional(),
    nodeId: z.uuid().optional().meta({ description: 'Run only on this node (from its market page).' }),
  })
  .meta({ id: 'JobRequirements' });

const envKey = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'is not a variable name (letters, digits and _, not starting with a digit, at most 64)',
  );

/** The reference renderer (workloads/render) over eight frames on one L4: the API reference's example. */
const JOB_SPEC_EXAMPLE = {
  name: 'frames 1-8',
  template: 'render',
  image: 'node:20-slim',
  command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
  workUnits: 8,
  inputs: [{ fileId: '7d1f7f1e-3c4b-4a8e-9b61-2f0c5d9e8a41', name: 'render.mjs' }],
  requirements: { gpuModels: ['l4-24gb'], gpuCount: 1 },
  budgetMicros: '2000000',
};

/** What a customer asks for. The quote takes the same spec, with the budget optional. */
export const jobSpecSchema = z
  .strictObject({
    name: displayNameSchema(80),
    template: jobTemplateSchema,
    image: imageSchema,
    command: z
      .array(z.string().max(1_000, 'a word must be at most 1,000 characters'))
      .min(1, 'must name the program to run')
      .max(64, 'must be at most 64 words'),
    env: z
      .record(envKey, z.string().max(4_096))
      .refine((env) => Object.keys(env).length <= 50, 'at most 50 variables')
      .default({}),
    workUnits: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1e15, 'must be at most 10^15')
      .meta({ description: "Units of the template's work (tokens, steps, frames, work-seconds)." }),
    inputs: z
      .array(jobInputSpecSchema)
      .max(MAX_JOB_INPUTS)
      .default([])
      .meta({
        description:
          'Files the workload reads: downloaded and verified by the agent before it starts, in ' +
          '`$BACKFILL_INPUT_DIR` (read-only; `/backfill/input` in a container).',
      }),
    requirements: jobRequirementsSchema,
    budgetMicros: positiveMicrosSchema.meta({ description: 'Budget cap, held from the available balance.' }),
  })
  .meta({ id: 'JobSpec', example: JOB_SPEC_EXAMPLE });

export type JobSpec = z.infer<typeof jobSpecSchema>;
export type JobSpecInput = z.input<typeof jobSpecSchema>;

export const quoteRequestSchema = jobSpecSchema
  .extend({ budgetMicros: positiveMicrosSchema.optional() })
  .meta({ id: 'QuoteRequest', example: JOB_SPEC_EXAMPLE });

export const quoteOptionSchema = z
  .object({
    nodeId: z.uuid(),
    gpuModel: z.string(),
    region: z.string(),
    freeGpus: z.number().int(),
    priceMicros: microsSchema.meta({ description: 'Per GPU-hour.' }),
    reliabilityBp: z.number().int(),
    verified: z.boolean(),
    estimatedHours: z.number(),
    estimatedCostMicros: microsSchema,
  })
  .meta({ id: 'QuoteOption' });

export const quoteSchema = z
  .object({
    unit: z.string().meta({ description: 'What workUnits count.' }),
    matchingOffers: z.number().int().meta({ description: 'Offers that can run the job now.' }),
    options: z.array(quoteOptionSchema).meta({
      description:
        'Best matches in the order the scheduler would choose them: lowest expected cost divided by the ' +
        "node's 30-day reliability (at least 0.25), times 0.9 more for an unverified node, first. " +
        '`estimatedCostMicros` is the cost before that adjustment, so a steadier node can come first.',
    }),
    estimate: z
      .object({
        hoursMin: z.number(),
        hoursMax: z.number(),
        costMinMicros: microsSchema,
        costMaxMicros: microsSchema,
      })
      .nullable()
      .meta({ description: 'Range over the best matches; null when nothing matches now.' }),
    runway: z
      .object({
        availableMicros: microsSchema,
        budgetMicros: microsSchema.nullable(),
        budgetFits: z.boolean().nullable().meta({ description: 'The balance covers the budget.' }),
        budgetCoversEstimate: z
          .boolean()
          .nullable()
          .meta({ description: 'The budget covers the high end of the estimate.' }),
      })
      .nullable()
      .meta({ description: 'Against the caller’s balance; null when not signed in.' }),
  })
  .meta({ id: 'Quote' });

export const attemptSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    nodeId: z.uuid(),
    nodeName: z.string(),
    region: z.string(),
    gpuModel: z.string(),
    gpuIndexes: z.array(z.number().int()),
    gpuSerials: z.array(z.string()),
    state: attemptStateSchema,
    endReason: z.string().nullable(),
    pricePerGpuHourMicros: microsSchema,
    meteredMs: z.number().int().meta({ description: 'Heartbeat-backed time charged.' }),
    pendingMs: z
      .number()
      .int()
      .meta({ description: 'Heartbeat-backed time not yet settled (since the last checkpoint).' }),
    forfeitedMs: z.number().int().meta({ description: 'Time lost with a vanished host: never charged.' }),
    chargedMicros: microsSchema,
    supplierMicros: microsSchema,
    feeMicros: microsSchema,
    assignedAt: isoDateSchema,
    runningAt: isoDateSchema.nullable(),
    endedAt: isoDateSchema.nullable(),
    suspectAt: isoDateSchema
      .nullable()
      .meta({ description: 'Set when its node was quarantined afterwards: the attempt is refunded.' }),
  })
  .meta({ id: 'JobAttempt' });

export const jobSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    template: jobTemplateSchema,
    unit: z.string(),
    image: z.string(),
    command: z.array(z.string()),
    envKeys: z.array(z.string()).meta({ description: 'Variable names; values are not echoed back.' }),
    requirements: z.object({
      gpuModels: z.array(z.string()),
      gpuCount: z.number().int(),
      minVramGb: z.number().int(),
      region: z.string().nullable(),
      maxPricePerGpuHourMicros: microsSchema.nullable(),
      nodeId: z.uuid().nullable(),
    }),
    inputs: z.array(jobInputSchema),
    outputs: z.array(jobOutputSchema).meta({
      description: 'What the finished job wrote, as uploaded and verified (kept even after deletion).',
    }),
    budgetMicros: microsSchema,
    workUnits: z.number().int(),
    specHash: z.string(),
    state: jobStateSchema,
    stateReason: z.string().nullable(),
    progressUnits: z.number().int(),
    checkpointUnits: z.number().int(),
    progress: z.number().meta({ description: '0–1.' }),
    etaSeconds: z.number().nullable().meta({ description: 'From the recent rate; null when unknown.' }),
    chargedMicros: microsSchema,
    releasedMicros: microsSchema,
    heldMicros: microsSchema.meta({ description: 'Budget still held.' }),
    /** Charge not yet settled: heartbeat-backed time since the last checkpoint at the locked price. */
    pendingChargeMicros: microsSchema,
    burnMicrosPerHour: microsSchema.meta({ description: 'Spend rate while running; 0 otherwise.' }),
    attemptCount: z.number().int(),
    simulated: z.boolean(),
    suspect: z
      .object({
        at: isoDateSchema.meta({ description: 'When work of this job was found suspect.' }),
        attempts: z.array(z.number().int()).meta({ description: 'The suspect attempts’ numbers.' }),
        refundedMicros: microsSchema.meta({ description: 'Returned to the available balance.' }),
        uncoveredMicros: microsSchema.meta({
          description:
            'Charged for suspect attempts and not refunded (neither held earnings nor fees covered it).',
        }),
        trustedCheckpointUnits: z.number().int().meta({
          description:
            'Progress a re-run resumes from: the last checkpoint written before the first suspect attempt.',
        }),
        rerunJobId: z.uuid().nullable().meta({ description: 'The re-run, once launched.' }),
      })
      .nullable()
      .meta({
        description:
          'Set when a node that ran this job was quarantined afterwards: its attempts since its last passed ' +
          'benchmark are suspect and refunded (docs/verification.md). Null otherwise.',
      }),
    rerunOfJobId: z.uuid().nullable().meta({ description: 'The suspect job this one re-runs.' }),
    currentAttempt: attemptSchema.nullable(),
    queuedAt: isoDateSchema,
    startedAt: isoDateSchema.nullable(),
    finishedAt: isoDateSchema.nullable(),
    createdAt: isoDateSchema,
    updatedAt: isoDateSchema,
  })
  .meta({ id: 'Job' });

export type JobView = z.infer<typeof jobSchema>;
export type AttemptView = z.infer<typeof attemptSchema>;

export const jobDetailSchema = jobSchema
  .extend({ attempts: z.array(attemptSchema), receiptAvailable: z.boolean() })
  .meta({ id: 'JobDetail' });
export type JobDetailView = z.infer<typeof jobDetailSchema>;

export const jobPageSchema = pageSchema(jobSchema, 'JobPage');

export const jobListQuerySchema = z.strictObject({
  state: z
    .enum(['active', 'finished', ...JOB_STATES])
    .optional()
    .meta({ description: 'A state, or "active" (queued/scheduled/running) or "finished".' }),
  template: jobTemplateSchema.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** Event types of the job stream; `data` depends on the type (see docs/jobs.md). */
export const JOB_EVENT_TYPES = [
  'queued',
  'scheduled',
  'running',
  'progress',
  'checkpoint',
  'log',
  'telemetry',
  'charged',
  'attempt_ended',
  'requeued',
  'cancel_requested',
  'succeeded',
  'failed',
  'cancelled',
  'out_of_budget',
  'suspect',
  'rerun',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

export const jobEventSchema = z
  .object({
    id: z.number().int().meta({ description: 'Increasing; the SSE id.' }),
    jobId: z.uuid(),
    type: z.enum(JOB_EVENT_TYPES),
    data: z.record(z.string(), z.unknown()),
    createdAt: isoDateSchema,
  })
  .meta({ id: 'JobEvent' });
export type JobEventView = z.infer<typeof jobEventSchema>;

export const jobEventsQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).meta({ description: 'Events with a greater id.' }),
  types: z.string().max(200).optional().meta({ description: 'Comma-separated event types to include.' }),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});

export const jobEventPageSchema = z
  .object({ items: z.array(jobEventSchema), lastId: z.number().int() })
  .meta({ id: 'JobEventPage' });

export const receiptSchema = z
  .object({
    payload: z
      .string()
      .meta({ description: 'The canonical JSON that was signed (EIP-191 personal message).' }),
    signer: z.string().meta({ description: "The marketplace's receipt-signing address." }),
    signature: z.string(),
    receipt: z.record(z.string(), z.unknown()).meta({ description: 'The payload, parsed.' }),
    amendments: z
      .array(
        z
          .object({
            payload: z
              .string()
              .meta({ description: 'The canonical JSON that was signed, like the receipt.' }),
            signer: z.string(),
            signature: z.string(),
            amendment: z.record(z.string(), z.unknown()).meta({ description: 'The payload, parsed.' }),
          })
          .meta({ id: 'ReceiptAmendment' }),
      )
      .meta({
        description:
          'Signed amendments, oldest first: issued when a node that ran the job is quarantined afterwards. Each ' +
          'names the receipt it amends (its signature and payload sha256) and lists the suspect attempts and ' +
          'their refunds; it verifies like the receipt.',
      }),
  })
  .meta({ id: 'JobReceipt' });

export const receiptSignerSchema = z.object({ address: z.string() }).meta({ id: 'ReceiptSigner' });
