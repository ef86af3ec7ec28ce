import { createHash } from 'node:crypto';

/**
 * The known-answer hash chains of lib/verification/known-answer.ts, computed for the simulated fleet. The
 * answers are the same to the bit (the tests compare them with `laneAnswer`); only the cost differs. Each step
 * hashes 32 bytes, one SHA-256 block with fixed padding, and `createHash` spends most of its ~3 µs per step on
 * allocating a hash object and a buffer. Here the compression function runs on a reused word array instead,
 * about 4× faster: a fleet of 300 nodes answers ~1,300 lanes of 20,000 steps on one core without falling
 * behind its benchmark deadlines.
 */

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H0 = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);
const DIGEST_WORDS = 8;

/** Replaces the 8 words of a 32-byte message with the words of its SHA-256 digest. */
function hashDigestInPlace(state: Int32Array): void {
  for (let i = 0; i < DIGEST_WORDS; i++) W[i] = state[i] as number;
  // The padding of a 32-byte message: a 1 bit, zeros, and the length in bits (256).
  W[8] = 0x80000000 | 0;
  for (let i = 9; i < 15; i++) W[i] = 0;
  W[15] = 256;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15] as number;
    const y = W[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
  }
  let a = H0[0] as number;
  let b = H0[1] as number;
  let c = H0[2] as number;
  let d = H0[3] as number;
  let e = H0[4] as number;
  let f = H0[5] as number;
  let g = H0[6] as number;
  let h = H0[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (W[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((H0[0] as number) + a) | 0;
  state[1] = ((H0[1] as number) + b) | 0;
  state[2] = ((H0[2] as number) + c) | 0;
  state[3] = ((H0[3] as number) + d) | 0;
  state[4] = ((H0[4] as number) + e) | 0;
  state[5] = ((H0[5] as number) + f) | 0;
  state[6] = ((H0[6] as number) + g) | 0;
  state[7] = ((H0[7] as number) + h) | 0;
}

/** A lane's first hash, sha256(seed bytes ‖ lane as 4 big-endian bytes), as words (as known-answer.ts does). */
function laneStartWords(seedHex: string, lane: number): Int32Array {
  const index = Buffer.alloc(4);
  index.writeUInt32BE(lane);
  const digest = createHash('sha256')
    .update(Buffer.concat([Buffer.from(seedHex, 'hex'), index]))
    .digest();
  const words = new Int32Array(DIGEST_WORDS);
  for (let i = 0; i < DIGEST_WORDS; i++) words[i] = digest.readInt32BE(i * 4);
  return words;
}

function toHex(words: Int32Array): string {
  const bytes = Buffer.alloc(DIGEST_WORDS * 4);
  for (let i = 0; i < DIGEST_WORDS; i++) bytes.writeInt32BE(words[i] as number, i * 4);
  return bytes.toString('hex');
}

/** The final hash of one lane: `laneAnswer` of known-answer.ts. */
export function simLaneAnswer(seedHex: string, lane: number, steps: number): string {
  const state = laneStartWords(seedHex, lane);
  for (let i = 0; i < steps; i++) hashDigestInPlace(state);
  return toHex(state);
}

/**
 * Every lane, advancing together in slices of `sliceSteps` and yielding between them (`computeLanes` of
 * known-answer.ts): one node's benchmark never holds the fleet's event loop for more than a few milliseconds.
 */
export async function simComputeLanes(
  seedHex: string,
  lanes: number,
  steps: number,
  options: { sliceSteps?: number; yieldNow?: () => Promise<void> } = {},
): Promise<string[]> {
  const slice = options.sliceSteps ?? 4_000;
  const yieldNow = options.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const states = Array.from({ length: lanes }, (_, lane) => laneStartWords(seedHex, lane));
  for (let done = 0; done < steps; done += slice) {
    const n = Math.min(slice, steps - done);
    for (const state of states) for (let i = 0; i < n; i++) hashDigestInPlace(state);
    if (done + n < steps) await yieldNow();
  }
  return states.map(toHex);
}
