import { createHash } from 'node:crypto';

/**
 * The GPU proof's computation, shared by the server (its checks), the agent's development CPU path and the
 * simulated fleet. The Python kernel (lib/verification/gpu-proof-kernel.ts) computes the same numbers on a GPU;
 * a test checks the two agree. Documented in docs/verification.md.
 *
 * From a 16-byte seed: B (k×m) is fixed per challenge and A_r (m×k) is new in each round r; all entries are
 * in {-1, 0, 1}. Round r computes C_r = A_r·B. With k ≤ 2048 every partial sum is an integer of magnitude
 * ≤ 2048, so fp16 (and any accumulation order) is exact. Each row of C_r is folded into a 32-bit fingerprint,
 * f_r[i] = Σ_j ((C_r[i][j] + 4096) XOR g_j) · w_j mod 2^32 — the XOR makes it non-linear, so no algebraic
 * shortcut gives f without C. The leaf of round r is sha256(0x00 ‖ r ‖ f_r), and the node commits to the Merkle
 * root over the R leaves. The server later asks for a few rounds picked after the root arrived, checks each
 * against the root, and recomputes a few rows of each on the CPU (row i of C_r costs k·m additions).
 */

/** A challenge's computation: who sets it (the seed) and how much work it is (m, k, rounds). */
export interface ProofParams {
  /** 32 hex characters (16 random bytes from the server). */
  seed: string;
  /** Rows of A_r, columns of B and C_r; a multiple of 16. */
  m: number;
  /** The inner dimension: columns of A_r, rows of B; a multiple of 16, at most 2048 (fp16 stays exact). */
  k: number;
  rounds: number;
}

export const MAX_INNER_DIMENSION = 2048;
/** Offset that makes every entry of C non-negative (|C| ≤ k ≤ 2048) before the XOR. */
const C_OFFSET = 4096;

/** Domain tags of the derived keys. */
const TAG = { b: 1, a: 2, g: 3, w: 4 } as const;

/** Refuses sizes no honest answer could be computed for, or that would break exactness. */
export function checkProofParams(params: ProofParams): string | null {
  if (!/^[0-9a-f]{32}$/.test(params.seed)) return 'the seed is not 16 bytes of lowercase hex';
  for (const [name, value] of [
    ['m', params.m],
    ['k', params.k],
  ] as const)
    if (!Number.isInteger(value) || value < 16 || value % 16 !== 0 || value > 65_536)
      return `${name} = ${value} (a multiple of 16 from 16 to 65536 expected)`;
  if (params.k > MAX_INNER_DIMENSION) return `k = ${params.k} is above ${MAX_INNER_DIMENSION}`;
  if (!Number.isInteger(params.rounds) || params.rounds < 1 || params.rounds > 1_000_000)
    return `${params.rounds} rounds (1 to 1000000 expected)`;
  return null;
}

/** Chris Wellons' lowbias32: a 32-bit integer hash (a bijection on uint32). */
export function lowbias32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function seedWords(seed: string): number[] {
  const bytes = Buffer.from(seed, 'hex');
  return [0, 4, 8, 12].map((offset) => bytes.readUInt32LE(offset));
}

/** key(tag, index) = lowbias32 chained over tag, the four seed words and index. */
export function deriveKey(seed: string, tag: number, index: number): number {
  let x = 0;
  for (const word of [tag, ...seedWords(seed), index]) x = lowbias32((x ^ word) >>> 0);
  return x;
}

/**
 * Entry `e` (row-major) of the matrix keyed `key`: one hash gives 16 entries of 2 bits each, and the bits b map
 * to (b & 1) − (b >> 1): 0 → 0, 1 → 1, 2 → −1, 3 → 0.
 */
function fillEntries(key: number, firstEntry: number, count: number, into: Int8Array, at = 0): void {
  for (let n = 0; n < count; n++) {
    const e = firstEntry + n;
    const bits = (lowbias32(((e >>> 4) ^ key) >>> 0) >>> (2 * (e & 15))) & 3;
    into[at + n] = (bits & 1) - (bits >>> 1);
  }
}

/** B, k×m row-major. */
export function generateB(params: ProofParams): Int8Array {
  const b = new Int8Array(params.k * params.m);
  fillEntries(deriveKey(params.seed, TAG.b, 0), 0, b.length, b);
  return b;
}

/** Row i of A_r (k entries). */
export function rowOfA(params: ProofParams, round: number, row: number): Int8Array {
  const a = new Int8Array(params.k);
  fillEntries(deriveKey(params.seed, TAG.a, round), row * params.k, params.k, a);
  return a;
}

/** The fingerprint's per-column XOR masks g_j (13 bits) and odd weights w_j (18 bits). */
export interface FingerprintKeys {
  g: Int32Array;
  w: Float64Array;
}

export function fingerprintKeys(params: ProofParams): FingerprintKeys {
  const kg = deriveKey(params.seed, TAG.g, 0);
  const kw = deriveKey(params.seed, TAG.w, 0);
  const g = new Int32Array(params.m);
  const w = new Float64Array(params.m);
  for (let j = 0; j < params.m; j++) {
    g[j] = lowbias32((j ^ kg) >>> 0) & 0x1fff;
    w[j] = (lowbias32((j ^ kw) >>> 0) & 0x3ffff) | 1;
  }
  return { g, w };
}

/**
 * f_r[i] for one row: row i of C_r is a_i·B, the sum of B's rows where a_i is 1 minus those where it is −1.
 * Sums stay below 2^44, exact in doubles.
 */
export function rowFingerprint(
  params: ProofParams,
  b: Int8Array,
  keys: FingerprintKeys,
  aRow: Int8Array,
  acc: Int32Array = new Int32Array(params.m),
): number {
  const { m, k } = params;
  acc.fill(0);
  for (let l = 0; l < k; l++) {
    const a = aRow[l];
    if (a === 0) continue;
    const base = l * m;
    if (a === 1) for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + (b[base + j] as number);
    else for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) - (b[base + j] as number);
  }
  let sum = 0;
  for (let j = 0; j < m; j++)
    sum += (((acc[j] as number) + C_OFFSET) ^ (keys.g[j] as number)) * (keys.w[j] as number);
  return sum % 4_294_967_296;
}

/** The fingerprint vector of round r (m values), as the node computes it — here on the CPU. */
export function roundFingerprint(
  params: ProofParams,
  b: Int8Array,
  keys: FingerprintKeys,
  round: number,
): Uint32Array {
  const f = new Uint32Array(params.m);
  const acc = new Int32Array(params.m);
  const a = new Int8Array(params.m * params.k);
  fillEntries(deriveKey(params.seed, TAG.a, round), 0, a.length, a);
  for (let i = 0; i < params.m; i++)
    f[i] = rowFingerprint(params, b, keys, a.subarray(i * params.k, (i + 1) * params.k), acc);
  return f;
}

/** The fingerprint vector as bytes: m little-endian uint32. */
export function fingerprintBytes(f: Uint32Array): Buffer {
  const bytes = Buffer.alloc(f.length * 4);
  for (let i = 0; i < f.length; i++) bytes.writeUInt32LE(f[i] as number, i * 4);
  return bytes;
}

export function fingerprintFromBytes(bytes: Buffer): Uint32Array {
  const f = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < f.length; i++) f[i] = bytes.readUInt32LE(i * 4);
  return f;
}

/** Leaf of round r: sha256(0x00 ‖ r as uint32 LE ‖ f_r bytes). */
export function roundLeaf(round: number, fBytes: Buffer): Buffer {
  const index = Buffer.alloc(4);
  index.writeUInt32LE(round);
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(index)
    .update(fBytes)
    .digest();
}

function parent(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

/** The levels of the Merkle tree, leaves first; a node without a sibling moves up unchanged. */
function merkleLevels(leaves: readonly Buffer[]): Buffer[][] {
  if (leaves.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  const levels: Buffer[][] = [[...leaves]];
  for (let level = levels[0] as Buffer[]; level.length > 1;) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right ? parent(level[i] as Buffer, right) : (level[i] as Buffer));
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  const levels = merkleLevels(leaves);
  return (levels[levels.length - 1] as Buffer[])[0] as Buffer;
}

/** The siblings from leaf `index` up to the root (levels where it has none are skipped). */
export function merklePath(leaves: readonly Buffer[], index: number): Buffer[] {
  const path: Buffer[] = [];
  let i = index;
  for (const level of merkleLevels(leaves).slice(0, -1)) {
    const sibling = level[i ^ 1];
    if (sibling) path.push(sibling);
    i >>= 1;
  }
  return path;
}

/** Whether `leaf` sits at `index` of a tree of `count` leaves whose root is `root`, by `path`. */
export function verifyMerklePath(
  root: Buffer,
  count: number,
  index: number,
  leaf: Buffer,
  path: readonly Buffer[],
): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= count) return false;
  let hash = leaf;
  let i = index;
  let width = count;
  let used = 0;
  while (width > 1) {
    const hasSibling = (i ^ 1) < width;
    if (hasSibling) {
      const sibling = path[used++];
      if (!sibling || sibling.length !== 32) return false;
      hash = i & 1 ? parent(sibling, hash) : parent(hash, sibling);
    }
    i >>= 1;
    width = Math.ceil(width / 2);
  }
  return used === path.length && hash.equals(root);
}

export interface ComputeOptions {
  /** Called between rounds (an agent keeps heartbeating; a withdrawn challenge stops here). */
  yieldNow?: () => Promise<void>;
  /** Rounds to compute (all of them by default): a cheater's partial work in tests. */
  computeRound?: (round: number) => boolean;
}

/** What a node keeps after the timed phase: one leaf per round, and the root it commits to. */
export interface ProofCommitment {
  leaves: Buffer[];
  root: string;
}

/**
 * The whole proof on this machine's CPU: the development path and the simulated fleet. A round that
 * `computeRound` skips gets a random leaf, as a cheater's would.
 */
export async function computeCommitment(
  params: ProofParams,
  options: ComputeOptions = {},
): Promise<ProofCommitment> {
  const b = generateB(params);
  const keys = fingerprintKeys(params);
  const leaves: Buffer[] = [];
  for (let r = 0; r < params.rounds; r++) {
    if (options.computeRound && !options.computeRound(r)) {
      leaves.push(createHash('sha256').update(`skipped ${r} ${Math.random()}`).digest());
    } else {
      leaves.push(roundLeaf(r, fingerprintBytes(roundFingerprint(params, b, keys, r))));
    }
    await options.yieldNow?.();
  }
  return { leaves, root: merkleRoot(leaves).toString('hex') };
}

/** One revealed round as the node sends it: its fingerprint vector and its Merkle path. */
export interface RoundReveal {
  round: number;
  /** base64 of f_r as m little-endian uint32. */
  fingerprint: string;
  /** Sibling hashes, leaf level first, lowercase hex. */
  path: string[];
}

/** Recomputes round r on the CPU and packs it with its path: what the node sends when asked. */
export function revealRound(
  params: ProofParams,
  commitment: ProofCommitment,
  round: number,
  b: Int8Array = generateB(params),
  keys: FingerprintKeys = fingerprintKeys(params),
): RoundReveal {
  const f = fingerprintBytes(roundFingerprint(params, b, keys, round));
  return {
    round,
    fingerprint: f.toString('base64'),
    path: merklePath(commitment.leaves, round).map((h) => h.toString('hex')),
  };
}
