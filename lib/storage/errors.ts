import { AppError, type ErrorCode } from '@/lib/api/errors';

/**
 * Why a storage operation was refused. Each reason maps to one API error code, so a route can answer with
 * the usual envelope; tests and callers branch on the reason, which is finer than the code.
 */
export const STORAGE_ERROR_CODE = {
  /** The key or prefix breaks the grammar in keys.ts (traversal, bad characters, too long…). */
  invalid_key: 'bad_request',
  /** The upload id is not one this store could have issued. */
  invalid_upload_id: 'bad_request',
  /** Bad options: a limit out of bounds, a malformed sha256, a content type we do not store… */
  invalid_argument: 'bad_request',
  not_found: 'not_found',
  upload_not_found: 'not_found',
  /** The body is larger than the caller's bound (refused while streaming; nothing is kept). */
  too_large: 'unprocessable',
  /** The body is not the announced size (a part, or an upload on completion). */
  size_mismatch: 'unprocessable',
  /** The body does not hash to the announced sha256 (nothing is kept). */
  sha256_mismatch: 'unprocessable',
  /** A byte range that starts past the end of the object. */
  invalid_range: 'unprocessable',
  /** Parts that cannot be assembled: a gap in the numbering, a part below the minimum size, no parts. */
  invalid_parts: 'unprocessable',
  /** A signed URL that is expired, tampered with, or used for another key or method. */
  invalid_signature: 'forbidden',
} as const satisfies Record<string, ErrorCode>;

export type StorageErrorReason = keyof typeof STORAGE_ERROR_CODE;

/** The one error the storage layer throws for an expected failure; an `AppError`, so routes map it as usual. */
export class StorageError extends AppError {
  readonly reason: StorageErrorReason;

  constructor(reason: StorageErrorReason, message: string) {
    super(STORAGE_ERROR_CODE[reason], message);
    this.name = 'StorageError';
    this.reason = reason;
  }
}

export function isStorageError(error: unknown, reason?: StorageErrorReason): error is StorageError {
  return error instanceof StorageError && (reason === undefined || error.reason === reason);
}
