import type { Readable } from 'node:stream';

/**
 * The blob store: one interface, two backends. `LocalStore` keeps objects under a directory (the embedded
 * default, under DATA_DIR) and hands out URLs to the marketplace API signed with our own key; `S3Store` uses
 * any S3-compatible bucket and hands out presigned URLs, so bytes never pass through the web tier.
 *
 * Every operation streams: no call holds a whole object in memory. Every write is verified: the sha256 is
 * computed as the bytes pass, and an object that is too large or does not match its announced sha256 is
 * refused and leaves nothing behind; a key names either a whole, verified object or nothing.
 */
export interface BlobStore {
  /** Which backend this is, for logs and benchmarks. */
  readonly kind: 'local' | 's3';

  /** Stores `body` under `key`, replacing any object there once the new one is complete and verified. */
  put(key: string, body: Readable, options: PutOptions): Promise<ObjectInfo>;
  /** The object's metadata, or null when there is none. */
  head(key: string): Promise<ObjectInfo | null>;
  /** The object's bytes (or one range of them); throws `not_found` or `invalid_range`. */
  get(key: string, range?: ByteRange): Promise<ObjectBody>;
  /** Removes the object; true when there was one. */
  delete(key: string): Promise<boolean>;
  /** Objects whose key starts with `prefix`, in key order, a page at a time. */
  list(prefix: string, options?: ListOptions): Promise<ObjectPage>;

  /** Starts a multipart upload to `key`; nothing appears under `key` until it is completed. */
  createUpload(key: string, options: PutOptions): Promise<UploadInfo>;
  /** Stores one part (1–10,000) of exactly `size` bytes; sending a part number again replaces it. */
  putPart(uploadId: string, partNumber: number, body: Readable, options: PartOptions): Promise<PartInfo>;
  /** The upload and the parts received so far: what a client that restarts resends is the rest. */
  listParts(uploadId: string): Promise<UploadState>;
  /** Assembles parts 1..n in order, verifies size and sha256, and publishes the object under its key. */
  completeUpload(uploadId: string): Promise<ObjectInfo>;
  /** Drops the upload and its parts; true when there was one. */
  abortUpload(uploadId: string): Promise<boolean>;

  /** A short-lived URL that allows one method on one key and nothing else. */
  signedUrl(request: SignedUrlRequest): Promise<SignedUrl>;
}

export interface PutOptions {
  /** The most bytes accepted; a larger body is refused while it streams, and nothing is kept. */
  maxBytes: number;
  /** When given, the body must hash to it (lower-case hex) or nothing is kept. */
  expectedSha256?: string;
  /** Stored and sent back with the object; application/octet-stream when absent. */
  contentType?: string;
}

export interface PartOptions {
  /** The part's exact length (an HTTP route has it from Content-Length); S3 needs it before the bytes. */
  size: number;
  /**
   * The part's sha256, required: the part must hash to it, S3 needs it before the bytes to verify them
   * server-side, and it is what a resuming client compares to know which parts arrived intact.
   */
  sha256: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Lower-case hex sha256 of the whole object. */
  sha256: string;
  contentType: string;
  createdAt: Date;
}

/** Inclusive byte offsets, as in an HTTP Range header; `end` past the last byte is cut to it. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectBody {
  info: ObjectInfo;
  /** The bytes served: `start`..`end` inclusive (the whole object when no range was asked for). */
  start: number;
  end: number;
  body: Readable;
}

export interface ListOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** At most this many objects (1–1,000; 1,000 by default). */
  limit?: number;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectPage {
  objects: ListedObject[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface UploadInfo {
  uploadId: string;
  key: string;
  maxBytes: number;
  expectedSha256: string | null;
  contentType: string;
  createdAt: Date;
}

export interface PartInfo {
  partNumber: number;
  size: number;
  /**
   * The part's sha256 where the backend knows it: always for the local store; for S3 only where the server
   * reports part checksums. A resuming client compares it with its own to decide what to resend.
   */
  sha256: string | null;
}

export interface UploadState {
  upload: UploadInfo;
  /** In part-number order. */
  parts: PartInfo[];
}

export type SignedMethod = 'GET' | 'PUT';

export interface SignedUrlRequest {
  key: string;
  method: SignedMethod;
  /** 1 s to 7 days (S3's own ceiling for presigned URLs). */
  expiresInSeconds: number;
  /**
   * PUT only, both required: the upload must be exactly this many bytes hashing to this sha256. A URL that
   * lets anyone write bytes we cannot check would defeat the store, so an unbounded PUT URL does not exist.
   */
  sha256?: string;
  size?: number;
  contentType?: string;
}

export interface SignedUrl {
  url: string;
  method: SignedMethod;
  /** Headers the request must carry exactly as given (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
}

/** Parts are numbered 1..10,000, as in S3. */
export const MAX_PARTS = 10_000;
/** Every part but the last must be at least this large (S3's own rule, enforced by both backends). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** The largest part (S3's limit). */
export const MAX_PART_BYTES = 5 * 1024 ** 3;
/** The longest a signed URL lives (S3's limit for presigned URLs). */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;
export const MAX_LIST_LIMIT = 1000;
