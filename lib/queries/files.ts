import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { filePageSchema, fileUploadSchema, StoredFileView } from '@/lib/files/schemas';
import { ApiError, getJson, isApiError, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

export type FilePage = z.infer<typeof filePageSchema>;
type FileUpload = z.infer<typeof fileUploadSchema>;

/** Where an upload is: hashing the file, sending its bytes, having the marketplace check them. */
export type UploadPhase = 'hashing' | 'uploading' | 'confirming';
export interface UploadProgress {
  phase: UploadPhase;
  /** Bytes hashed or sent so far, of `total`. */
  loaded: number;
  total: number;
}

/** Files are hashed in slices of this size: memory stays flat whatever the file's size. */
const HASH_SLICE = 4 * 1024 * 1024;

async function hashBlob(
  blob: Blob,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const hash = sha256.create();
  for (let offset = 0; offset < blob.size; offset += HASH_SLICE) {
    signal?.throwIfAborted();
    hash.update(new Uint8Array(await blob.slice(offset, offset + HASH_SLICE).arrayBuffer()));
    onProgress(Math.min(blob.size, offset + HASH_SLICE));
  }
  return bytesToHex(hash.digest());
}

/** PUTs the bytes to a signed URL, reporting upload progress (fetch cannot; XMLHttpRequest can). */
function putWithProgress(
  upload: FileUpload['upload'],
  blob: Blob,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', upload.url);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let message = `The upload was refused (${xhr.status}).`;
        try {
          message =
            (JSON.parse(xhr.responseText) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          // Not our error envelope (an S3 server's XML): keep the status.
        }
        reject(new ApiError(xhr.status, 'upload_failed', message));
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed: the connection was lost. Try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}

/**
 * Uploads a file as a job input: hashes it (sha256, in slices), reserves it (`POST /api/v1/files`), sends the
 * bytes to the signed URL with progress, and has the marketplace check them (`…/complete`). Resolves with the
 * ready file.
 */
export async function uploadInputFile(
  file: Blob,
  name: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<StoredFileView> {
  const total = file.size;
  onProgress({ phase: 'hashing', loaded: 0, total });
  const digest = await hashBlob(file, (loaded) => onProgress({ phase: 'hashing', loaded, total }), signal);
  const created = await sendJson<FileUpload>('POST', '/api/v1/files', {
    name,
    sizeBytes: total,
    sha256: digest,
    ...(file.type && /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? { contentType: file.type } : {}),
  });
  onProgress({ phase: 'uploading', loaded: 0, total });
  await putWithProgress(
    created.upload,
    file,
    (loaded) => onProgress({ phase: 'uploading', loaded, total }),
    signal,
  );
  onProgress({ phase: 'confirming', loaded: total, total });
  return sendJson<StoredFileView>('POST', `/api/v1/files/${created.file.id}/complete`, {});
}

/** A job's outputs (newest first), with the account's storage use. */
export function useJobOutputs(jobId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.account.files.ofJob(jobId),
    queryFn: ({ signal }) =>
      getJson<FilePage>(
        `/api/v1/files?${new URLSearchParams({ jobId, kind: 'output', limit: '100' })}`,
        signal,
      ),
    enabled,
    retry: (count, error) => count < 2 && !isApiError(error),
  });
}

/** The account's storage use against its quota (from the first page of its files). */
export function useStorageUsage(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.account.files.all,
    queryFn: ({ signal }) => getJson<FilePage>('/api/v1/files?limit=1', signal),
    enabled,
    select: (page) => page.usage,
    retry: (count, error) => count < 2 && !isApiError(error),
  });
}

/** The link that downloads a file (the API redirects to a short-lived signed URL). */
export function fileDownloadPath(id: string): string {
  return `/api/v1/files/${id}/download`;
}
