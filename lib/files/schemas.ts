import { z } from 'zod';
import { isoDateSchema } from '@/lib/api/common-schemas';

/**
 * The files contract: inputs a customer uploads, outputs and checkpoints a job writes. One schema per shape,
 * imported by the routes, the browser, the agent and the OpenAPI document.
 */

/** The most files one job reads, and the most one attempt may write. */
export const MAX_JOB_INPUTS = 32;
export const MAX_JOB_OUTPUTS = 1_000;

/**
 * A file name: a relative path of 1–8 segments, each 1–128 characters of letters, digits, space, `.`, `_` or
 * `-`, starting with a letter or digit. So it can never climb out of a directory (`..`, a leading `/`), name a
 * hidden file, or carry a control character, on any file system the agent writes it to.
 */
const FILE_NAME_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;
export function fileNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 255) return 'must be 1–255 characters';
  const segments = name.split('/');
  if (segments.length > 8) return 'at most 8 path segments';
  for (const segment of segments) {
    if (!FILE_NAME_SEGMENT.test(segment) || segment.endsWith(' '))
      return 'each path segment is 1–128 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit';
    if (segment.includes('..')) return 'must not contain ".."';
  }
  return null;
}
export const fileNameSchema = z
  .string()
  .superRefine((name, ctx) => {
    const problem = fileNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description: 'A relative path such as `scene.json` or `frames/frame-0001.png`.',
    example: 'scene.json',
  });

export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (a sha256 digest)')
  .meta({
    description: 'sha256 of the bytes, lowercase hex.',
    example: '5f3c8b2e9a41d07c6e1b9f2a8d4c3e7b0a1f6d5c2b8e9a7f4c3d2e1b0a9f8e7d',
  });

/** Bytes: 0 up to 5 TiB in the schema; the configured per-file limit is checked with the quota. */
export const byteCountSchema = z
  .number()
  .int()
  .min(0)
  .max(5 * 1024 ** 4)
  .meta({ example: 1_048_576 });

const contentTypeSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/, 'must be a MIME type such as text/plain')
  .optional();

export const fileKindSchema = z.enum(['input', 'output', 'checkpoint']).meta({ id: 'FileKind' });

export const storedFileSchema = z
  .object({
    id: z.uuid(),
    kind: fileKindSchema,
    state: z.enum(['pending', 'ready']).meta({
      description: 'pending: the upload URL is out, the bytes not confirmed yet; ready: stored and verified.',
    }),
    name: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    contentType: z.string(),
    jobId: z.uuid().nullable().meta({ description: 'The job that wrote it (outputs and checkpoints).' }),
    createdAt: isoDateSchema,
    expiresAt: isoDateSchema
      .nullable()
      .meta({ description: 'When it will be deleted (retention, or the upload deadline while pending).' }),
  })
  .meta({ id: 'StoredFile' });
export type StoredFileView = z.infer<typeof storedFileSchema>;

export const signedTransferSchema = z
  .object({
    url: z.string().meta({ description: 'Short-lived URL for exactly this transfer (no other credential).' }),
    method: z.enum(['GET', 'PUT']),
    headers: z
      .record(z.string(), z.string())
      .meta({ description: 'Headers the request must carry exactly as given (they are signed).' }),
    expiresAt: isoDateSchema,
  })
  .meta({ id: 'SignedTransfer' });
export type SignedTransfer = z.infer<typeof signedTransferSchema>;

export const createFileRequestSchema = z
  .strictObject({
    name: fileNameSchema,
    sizeBytes: byteCountSchema,
    sha256: sha256HexSchema,
    contentType: contentTypeSchema,
  })
  .meta({ id: 'CreateFileRequest' });

export const fileUploadSchema = z
  .object({
    file: storedFileSchema,
    upload: signedTransferSchema.meta({
      description: 'PUT exactly `sizeBytes` bytes hashing to `sha256` here, then call …/complete.',
    }),
  })
  .meta({ id: 'FileUpload' });

export const fileDetailSchema = storedFileSchema
  .extend({
    download: signedTransferSchema
      .nullable()
      .meta({ description: 'A short-lived download URL; null while pending.' }),
  })
  .meta({ id: 'StoredFileDetail' });

export const storageUsageSchema = z
  .object({
    usedBytes: z
      .number()
      .int()
      .meta({ description: 'Inputs, outputs and checkpoints, pending uploads included.' }),
    quotaBytes: z.number().int(),
  })
  .meta({ id: 'StorageUsage' });

export const fileListQuerySchema = z.strictObject({
  kind: z.enum(['input', 'output']).optional(),
  jobId: z.uuid().optional().meta({ description: "Only this job's files." }),
  sha256: sha256HexSchema
    .optional()
    .meta({ description: 'Only files with these bytes: a client reuses an input it uploaded before.' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const filePageSchema = z
  .object({
    items: z.array(storedFileSchema),
    nextCursor: z.string().nullable(),
    usage: storageUsageSchema,
  })
  .meta({ id: 'FilePage' });

/** One input of a job spec: a file uploaded through /api/v1/files, or an https URL the agent fetches. */
export const jobInputSpecSchema = z
  .union([
    z.strictObject({
      fileId: z.uuid().meta({ description: 'A ready input file of yours.' }),
      name: fileNameSchema
        .optional()
        .meta({ description: 'Where the workload finds it; the file’s own name by default.' }),
    }),
    z.strictObject({
      url: z
        .url({ protocol: /^https$/ })
        .max(2_000)
        .meta({ description: 'An https URL the agent downloads before the workload starts.' }),
      name: fileNameSchema,
      sha256: sha256HexSchema.optional().meta({ description: 'When given, the agent refuses other bytes.' }),
    }),
  ])
  .meta({ id: 'JobInputSpec' });
export type JobInputSpec = z.infer<typeof jobInputSpecSchema>;

export const jobInputSchema = z
  .object({
    name: z.string(),
    fileId: z.uuid().nullable(),
    url: z.string().nullable(),
    sha256: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
  })
  .meta({ id: 'JobInput' });

export const jobOutputSchema = z
  .object({ fileId: z.uuid(), name: z.string(), sizeBytes: z.number().int(), sha256: z.string() })
  .meta({ id: 'JobOutput' });

/** The agent asks where to upload an output or a checkpoint of a lease it holds. */
export const agentUploadRequestSchema = z
  .strictObject({
    attemptId: z.uuid(),
    fencingToken: z.number().int().min(1),
    kind: z.enum(['output', 'checkpoint']),
    name: fileNameSchema,
    sizeBytes: byteCountSchema,
    sha256: sha256HexSchema,
    units: z
      .number()
      .int()
      .min(0)
      .max(1e15)
      .optional()
      .meta({ description: 'Checkpoints: the work units it covers (required).' }),
  })
  .meta({ id: 'AgentUploadRequest' });
export type AgentUploadRequest = z.infer<typeof agentUploadRequestSchema>;

export const agentUploadSchema = z
  .object({ fileId: z.uuid(), upload: signedTransferSchema })
  .meta({ id: 'AgentUpload' });

export const agentCompleteRequestSchema = z
  .strictObject({ fencingToken: z.number().int().min(1) })
  .meta({ id: 'AgentUploadComplete' });

export const agentCompleteSchema = z
  .object({
    fileId: z.uuid(),
    kept: z.boolean().meta({
      description:
        'Checkpoints: true when it became the job’s checkpoint (the work up to it is now charged and kept).',
    }),
  })
  .meta({ id: 'AgentUploadAcknowledged' });
