import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { StorageError } from '@/lib/storage/errors';

export interface VerifyLimits {
  /** Refuse (`too_large`) as soon as more than this many bytes have passed. */
  maxBytes: number;
  /** The body must be exactly this long (`size_mismatch`). */
  exactBytes?: number;
  /** The body must hash to this (`sha256_mismatch`), checked before the stream ends. */
  expectedSha256?: string | null;
  /** Names the body in error messages ("object", "part 3"). */
  what: string;
  /**
   * Keep the latest chunk until the body is verified, so a body that fails never passes downstream whole
   * (a request streaming it then stays short of its Content-Length and is dropped by the server).
   */
  holdBackLastChunk?: boolean;
}

/**
 * Passes bytes through while counting and hashing them. It fails the stream as soon as the body is too
 * long, and, before it lets the stream end, when the body is short or hashes to something else — so a
 * writer downstream never sees a clean end for a body that must not be kept.
 */
export class VerifyStream extends Transform {
  bytes = 0;
  /** Lower-case hex sha256 of everything that passed, once the stream has ended. */
  sha256: string | null = null;
  private readonly hash = createHash('sha256');
  private held: Buffer | null = null;

  constructor(private readonly limits: VerifyLimits) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { maxBytes, exactBytes, what } = this.limits;
    if (exactBytes !== undefined && this.bytes > exactBytes) {
      callback(
        new StorageError('size_mismatch', `The ${what} is longer than the announced ${exactBytes} bytes.`),
      );
      return;
    }
    if (this.bytes > maxBytes) {
      callback(new StorageError('too_large', `The ${what} is larger than the limit of ${maxBytes} bytes.`));
      return;
    }
    this.hash.update(chunk);
    if (!this.limits.holdBackLastChunk) {
      callback(null, chunk);
      return;
    }
    const previous = this.held;
    this.held = chunk;
    callback(null, previous ?? undefined);
  }

  override _flush(callback: TransformCallback): void {
    const { exactBytes, expectedSha256, what } = this.limits;
    this.sha256 = this.hash.digest('hex');
    if (exactBytes !== undefined && this.bytes !== exactBytes) {
      callback(
        new StorageError(
          'size_mismatch',
          `The ${what} has ${this.bytes} bytes, not the announced ${exactBytes}.`,
        ),
      );
      return;
    }
    if (expectedSha256 && this.sha256 !== expectedSha256) {
      callback(new StorageError('sha256_mismatch', `The ${what} does not match its announced sha256.`));
      return;
    }
    callback(null, this.held ?? undefined);
  }
}
