import { z } from 'zod';

/** The closed set of error codes the API answers with, and the HTTP status of each. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  unsupported_media_type: 415,
  unprocessable: 422,
  upgrade_required: 426,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  field: string;
  message: string;
}

/** The one error type domain code throws for an expected failure; the route wrapper maps it to JSON. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { fields?: FieldIssue[]; headers?: Record<string, string> },
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = options?.fields;
    this.headers = options?.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      fields: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: 'The offending input fields, for validation errors.' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error has this shape.' });

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/**
 * What one zod issue says, in the contract's own words: a record key's rule rather than zod's "Invalid key
 * in record". The API's 400s and the browser's forms (which validate with the same schemas) both use it.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'unknown parameter';
  if (issue.code === 'invalid_key') {
    const rule = issue.issues[0]?.message;
    const key = issue.path.at(-1);
    if (rule) return key === undefined ? rule : `"${String(key)}" ${rule}`;
  }
  return issue.message;
}

/** The same words as a sentence for a form: "must be at least 1" → "Must be at least 1." */
export function issueSentence(issue: z.core.$ZodIssue): string {
  const message = issueMessage(issue);
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Turns zod issues into a 400 naming every offending field. */
export function validationError(error: z.ZodError, where: 'query' | 'body' | 'path'): AppError {
  const fields = error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = unknownKeys.length > 0 ? unknownKeys.join(', ') : issue.path.join('.') || where;
    return { field, message: issueMessage(issue) };
  });
  const names = [...new Set(fields.map((f) => f.field))].join(', ');
  return new AppError('bad_request', `Invalid ${where}: ${names}`, { fields });
}
