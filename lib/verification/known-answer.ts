import { createHash } from 'node:crypto';

/**
 * The known-answer computation behind benchmark challenges and canary jobs: a sha256 hash chain. Lane `i`
 * starts from sha256(seed bytes ‖ i as 4 big-endian bytes) and hashes its own 32-byte output `steps` times.
 * Each step needs the previous one, so the answer cannot be had without doing every step, and the server can
 * check any lane by redoing just that lane.
 */

export const MAX_LANES = 16;

function laneStart(seedHex: string, lane: number): Buffer {
  const index = Buffer.alloc(4);
  index.writeUInt32BE(lane);
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(seedHex, 'hex'), index]))
    .digest();
}

/** The final hash of one lane, as lowercase hex. */
export function laneAnswer(seedHex: string, lane: number, steps: number): string {
  let hash = laneStart(seedHex, lane);
  for (let i = 0; i < steps; i++) hash = createHash('sha256').update(hash).digest();
  return hash.toString('hex');
}

/**
 * Computes every lane in slices of `sliceSteps`, yielding to the event loop between slices (an agent keeps
 * heartbeating while it benchmarks). Lanes advance together, as they would on separate GPUs.
 */
export async function computeLanes(
  seedHex: string,
  lanes: number,
  steps: number,
  options: { sliceSteps?: number; yieldNow?: () => Promise<void> } = {},
): Promise<string[]> {
  const slice = options.sliceSteps ?? 2_000;
  const yieldNow = options.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const state = Array.from({ length: lanes }, (_, lane) => laneStart(seedHex, lane));
  for (let done = 0; done < steps; done += slice) {
    const n = Math.min(slice, steps - done);
    for (let lane = 0; lane < lanes; lane++) {
      let hash = state[lane] as Buffer;
      for (let i = 0; i < n; i++) hash = createHash('sha256').update(hash).digest();
      state[lane] = hash;
    }
    if (done + n < steps) await yieldNow();
  }
  return state.map((hash) => hash.toString('hex'));
}

/**
 * The canary workload as a self-contained `node -e` program: it reads its seed and steps from
 * `BACKFILL_KA_SEED` / `BACKFILL_KA_STEPS`, reports progress in the job's units, and prints
 * `BACKFILL_RESULT <lane 0 answer>`. Any node with Node.js can run it, with either runner.
 */
export const KNOWN_ANSWER_PROGRAM = [
  "const c=require('node:crypto');",
  'const seed=process.env.BACKFILL_KA_SEED||"";const steps=Number(process.env.BACKFILL_KA_STEPS||0);',
  'const units=Number(process.env.BACKFILL_WORK_UNITS||1);',
  "let h=c.createHash('sha256').update(Buffer.concat([Buffer.from(seed,'hex'),Buffer.alloc(4)])).digest();",
  'let shown=0;for(let i=1;i<=steps;i++){h=c.createHash("sha256").update(h).digest();',
  'const u=Math.floor(i*units/steps);if(u>shown){shown=u;console.log("BACKFILL_PROGRESS "+u);}}',
  "console.log('BACKFILL_RESULT '+h.toString('hex'));",
].join('');
