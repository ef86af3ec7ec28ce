import { serverEnv, type ServerEnv } from '@/lib/env';

/** Limits and lifetimes of stored files, from lib/env.ts. */
export interface FilesConfig {
  /** Bytes one account may keep (inputs, outputs, checkpoints; pending uploads included). */
  quotaBytes: number;
  /** The largest single file. */
  maxFileBytes: number;
  /** How long a finished job's outputs are kept; null: until deleted. */
  outputRetentionMs: number | null;
  /** How long an input no active job uses is kept after upload; null: until deleted. */
  inputRetentionMs: number | null;
  /** How long an upload URL (and its pending reservation) lives. */
  uploadUrlSeconds: number;
  /** How long a customer's download URL lives. */
  downloadUrlSeconds: number;
  /** How long the URLs in an assignment live (it is re-signed in every heartbeat reply until picked up). */
  leaseUrlSeconds: number;
}

const DAY_MS = 86_400_000;

export function filesConfigFrom(env: ServerEnv): FilesConfig {
  return {
    quotaBytes: env.STORAGE_QUOTA_BYTES,
    maxFileBytes: env.STORAGE_MAX_FILE_BYTES,
    outputRetentionMs: env.STORAGE_OUTPUT_RETENTION_DAYS ? env.STORAGE_OUTPUT_RETENTION_DAYS * DAY_MS : null,
    inputRetentionMs: env.STORAGE_INPUT_RETENTION_DAYS ? env.STORAGE_INPUT_RETENTION_DAYS * DAY_MS : null,
    uploadUrlSeconds: 6 * 3600,
    downloadUrlSeconds: 15 * 60,
    leaseUrlSeconds: 3600,
  };
}

export function filesConfig(): FilesConfig {
  return filesConfigFrom(serverEnv());
}
