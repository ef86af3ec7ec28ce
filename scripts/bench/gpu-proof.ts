/**
 * `npm run bench:gpu-proof [-- --model h100-80gb] [--target-ms 10000]` — the GPU proof's figures on this
 * machine (docs/verification.md):
 *
 * 1. the kernel (lib/verification/gpu-proof-kernel.ts) with the host's python3 at production sizes, for the
 *    claimed model's planned rounds: the measured time of the timed phase, the score it earns, the pass bound,
 *    and the kernel's measured efficiency against the model's peak (replacing the assumed one). Without PyTorch
 *    or CuPy on CUDA this part says so and measures nothing: the GPU figure needs a GPU;
 * 2. the server's check of a production-size reveal (6 rounds × 2 rows) on this CPU;
 * 3. the cheater's bound, measured: challenges answered by nodes that skip a share f of the rounds, checked by
 *    the real server check at small sizes; the share caught per check, against 1 − C(R−fR, s) / C(R, s).
 */
import { parseArgs } from 'node:util';
import { findExecutable } from '@/lib/agent/which';
import { hostPythonCommand, probeKernel, runKernel } from '@/lib/agent/benchmark-python';
import { gpuModel } from '@/lib/market/gpu-models';
import { evaluateBenchmark } from '@/lib/verification/benchmark';
import {
  computeCommitment,
  fingerprintKeys,
  generateB,
  revealRound,
  rowFingerprint,
  rowOfA,
  type ProofParams,
} from '@/lib/verification/gpu-proof';
import { checkReveals, pickDistinct } from '@/lib/verification/gpu-proof-check';
import {
  ASSUMED_EFFICIENCY,
  PRODUCTION_SIZES,
  expectedRoundMs,
  passBoundMs,
  planProof,
  roundFlops,
} from '@/lib/verification/gpu-proof-bound';
import { DEFAULT_VERIFICATION } from '@/lib/verification/config';

const { values } = parseArgs({
  options: { model: { type: 'string' }, 'target-ms': { type: 'string' }, trials: { type: 'string' } },
});
const modelId = values.model ?? 'h100-80gb';
const targetMs = Number(values['target-ms'] ?? 10_000);
const trials = Number(values.trials ?? 400);
const seed = () =>
  Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

async function gpuPart(): Promise<void> {
  const plan = planProof(modelId, 'production', targetMs);
  console.log(`\n1. The kernel on this machine's GPU, claimed model ${gpuModel(modelId).name}`);
  console.log(
    `   planned: ${plan.rounds} rounds of ${plan.m}×${plan.k}, expected ${plan.expectedMs} ms at the ASSUMED ` +
      `efficiency (compute ${ASSUMED_EFFICIENCY.compute}, memory ${ASSUMED_EFFICIENCY.memory}); pass bound ` +
      `${passBoundMs(plan.expectedMs)} ms`,
  );
  const python = findExecutable('python3');
  const kernel = python ? hostPythonCommand(python) : null;
  const backend = kernel ? await probeKernel(kernel) : null;
  if (!kernel || !backend) {
    console.log('   NOT MEASURED: no python3 with PyTorch or CuPy on a CUDA GPU here.');
    return;
  }
  const request = { seed: seed(), m: plan.m, k: plan.k, rounds: plan.rounds, lanes: 1, backend };
  // A warm-up of a few rounds (CUDA context, kernels), then the timed run.
  await runKernel(kernel, 'commit', { ...request, rounds: 3 });
  const started = performance.now();
  await runKernel(kernel, 'commit', request);
  const elapsed = performance.now() - started;
  const score = (gpuModel(modelId).relativeThroughput * plan.expectedMs) / elapsed;
  const perRound = elapsed / plan.rounds;
  const tflops = roundFlops(plan.m, plan.k) / (perRound / 1000) / 1e12;
  console.log(
    `   backend ${backend}: ${elapsed.toFixed(0)} ms for ${plan.rounds} rounds (${perRound.toFixed(3)} ms a round)`,
  );
  console.log(
    `   ${tflops.toFixed(0)} TFLOPS of products = ${((tflops / gpuModel(modelId).tensorTflops) * 100).toFixed(1)} % ` +
      `of the ${gpuModel(modelId).tensorTflops} TFLOPS peak (whole round, fingerprints and hashing included)`,
  );
  console.log(`   score ${score.toFixed(3)}× A100: ${evaluateBenchmark(modelId, score, null).detail}`);
  console.log(
    `   (this includes the python process's start: the agent pays it too; the acknowledgement cap ` +
      `${DEFAULT_VERIFICATION.ackCapMs} ms is not counted here)`,
  );
}

function serverCheckPart(): void {
  const params: ProofParams = { seed: seed(), ...PRODUCTION_SIZES, rounds: 4 };
  const rows = DEFAULT_VERIFICATION.rowsPerRound;
  console.log(`\n2. The server's check of a production-size reveal, on this CPU`);
  const t0 = performance.now();
  const b = generateB(params);
  const keys = fingerprintKeys(params);
  const t1 = performance.now();
  const count = DEFAULT_VERIFICATION.revealRounds * rows;
  for (let i = 0; i < count; i++) rowFingerprint(params, b, keys, rowOfA(params, i % 4, i));
  const t2 = performance.now();
  console.log(
    `   B (${params.k}×${params.m}) generated in ${(t1 - t0).toFixed(0)} ms; ${count} rows recomputed in ` +
      `${(t2 - t1).toFixed(0)} ms: ${(t2 - t0).toFixed(0)} ms of server CPU per challenge (plus hashing the ` +
      `revealed vectors)`,
  );
}

async function cheaterPart(): Promise<void> {
  const rounds = 32;
  const s = DEFAULT_VERIFICATION.revealRounds;
  console.log(
    `\n3. Nodes skipping a share f of the rounds: caught per check (R = ${rounds}, ${s} rounds revealed, ${trials} challenges each)`,
  );
  const choose = (n: number, r: number): number => (r === 0 ? 1 : (n * choose(n - 1, r - 1)) / r);
  for (const f of [0.05, 0.1, 0.15, 0.25, 0.5]) {
    const skipped = Math.round(f * rounds);
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      const params: ProofParams = { seed: seed(), m: 16, k: 16, rounds };
      const skip = new Set(pickDistinct(rounds, skipped));
      const commitment = await computeCommitment(params, { computeRound: (r) => !skip.has(r) });
      const asked = pickDistinct(rounds, s);
      // The cheater's best reveal: the true vector for every round (it can compute them now, untimed); a
      // skipped round's vector does not hash to the random leaf it committed.
      const reveals = asked.map((r) => revealRound(params, commitment, r));
      if (!checkReveals(params, commitment.root, asked, reveals, { rowsPerRound: 2 }).ok) caught++;
    }
    const exact = 1 - choose(rounds - skipped, s) / choose(rounds, s);
    const speedup = 1 / (1 - skipped / rounds);
    console.log(
      `   f = ${(skipped / rounds).toFixed(3)} (${speedup.toFixed(2)}× apparent speed): caught ${((caught / trials) * 100).toFixed(1)} % ` +
        `(exact ${(exact * 100).toFixed(1)} %)`,
    );
  }
  const h100 = expectedRoundMs('h100-80gb', PRODUCTION_SIZES.m, PRODUCTION_SIZES.k);
  const rtx = expectedRoundMs('rtx-4090-24gb', PRODUCTION_SIZES.m, PRODUCTION_SIZES.k);
  const need = 1 - h100 / rtx / (1 - 0.15);
  console.log(
    `   an RTX 4090 claiming an H100 (same assumed efficiency) must skip f ≥ ${need.toFixed(2)} of the rounds to ` +
      `meet the bound: caught with probability ≥ ${((1 - Math.pow(1 - need, s)) * 100).toFixed(3)} % per check`,
  );
}

async function main(): Promise<void> {
  console.log(`GPU proof benchmark — npm run bench:gpu-proof (model ${modelId}, target ${targetMs} ms)`);
  await gpuPart();
  serverCheckPart();
  await cheaterPart();
}

void main();
