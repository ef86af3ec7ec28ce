import { spawn } from 'node:child_process';
import {
  InvalidChallengeError,
  UnsupportedProofError,
  checkChallenge,
  cpuBenchmarkEngine,
  proofParams,
  unsupportedBenchmarkEngine,
  type BenchmarkEngine,
} from '@/lib/agent/benchmark';
import type { ProofRevealWire } from '@/lib/agent/schemas';
import { findExecutable } from '@/lib/agent/which';
import { merklePath, roundLeaf } from '@/lib/verification/gpu-proof';
import { GPU_PROOF_KERNEL } from '@/lib/verification/gpu-proof-kernel';

/**
 * The GPU engines of the agent: the proof's Python kernel (lib/verification/gpu-proof-kernel.ts) run with the
 * host's python3 when PyTorch or CuPy sees a CUDA GPU, or inside a pinned PyTorch CUDA image through Docker
 * (`--gpus all`). `selectBenchmarkEngine` picks one, or the `unsupported` engine when neither can run: the node
 * is then listed as declared, unverified. Documented in docs/agent.md.
 */

/**
 * The PyTorch CUDA image the Docker engine runs the kernel in: a fixed release tag. Pull it beforehand — the
 * probe at the agent's start waits at most two minutes.
 */
export const PROOF_IMAGE = 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime';

/** How the kernel is started: the host's python3, or python in the pinned image. */
export interface KernelCommand {
  command: string;
  args: string[];
  /** Names the engine in logs. */
  label: string;
}

export function hostPythonCommand(python: string): KernelCommand {
  return { command: python, args: ['-c', GPU_PROOF_KERNEL], label: `${python} on the host` };
}

export function dockerCommand(docker: string, image = PROOF_IMAGE): KernelCommand {
  return {
    command: docker,
    args: [
      'run',
      '--rm',
      '-i',
      '--gpus',
      'all',
      '--network',
      'none',
      image,
      'python',
      '-c',
      GPU_PROOF_KERNEL,
    ],
    label: `${image} through Docker`,
  };
}

/** Runs the kernel in `mode` with a JSON request on stdin; resolves its JSON answer. */
export function runKernel(
  kernel: KernelCommand,
  mode: string,
  request: object,
  signal?: AbortSignal,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(kernel.command, [...kernel.args, mode], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        const tail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`the proof kernel (${kernel.label}) exited with ${code}: ${tail}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch {
        reject(new Error(`the proof kernel (${kernel.label}) printed no JSON`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** Which GPU backend the kernel finds (null: none), or null when the kernel cannot run at all. */
export async function probeKernel(kernel: KernelCommand): Promise<string | null> {
  try {
    const found = (await runKernel(kernel, 'probe', {}, AbortSignal.timeout(120_000))) as {
      backend?: unknown;
    };
    return typeof found.backend === 'string' ? found.backend : null;
  } catch {
    return null;
  }
}

/** The proof computed by the kernel on `backend`; reveals recompute the named rounds (milliseconds on a GPU). */
export function kernelBenchmarkEngine(kernel: KernelCommand, backend: string): BenchmarkEngine {
  return async (challenge, signal) => {
    checkChallenge(challenge);
    const params = proofParams(challenge);
    const request = { ...params, lanes: challenge.lanes, backend };
    const answer = (await runKernel(kernel, 'commit', request, signal)) as {
      leaves?: unknown;
      root?: unknown;
    };
    const leaves = Array.isArray(answer.leaves)
      ? answer.leaves.map((h) => Buffer.from(String(h), 'hex'))
      : [];
    if (leaves.length !== params.rounds || typeof answer.root !== 'string')
      throw new Error('the proof kernel answered without a leaf per round');
    return {
      root: answer.root,
      reveal: async (rounds, revealSignal) => {
        const got = (await runKernel(kernel, 'reveal', { ...request, reveal: rounds }, revealSignal)) as {
          fingerprints?: unknown;
        };
        const fingerprints = Array.isArray(got.fingerprints) ? got.fingerprints.map(String) : [];
        return rounds.map((round, i): ProofRevealWire => {
          const fingerprint = fingerprints[i] ?? '';
          // The same round must hash to the committed leaf; if not, the GPU computed it differently twice.
          if (!roundLeaf(round, Buffer.from(fingerprint, 'base64')).equals(leaves[round] ?? Buffer.alloc(0)))
            throw new InvalidChallengeError(`round ${round} recomputed differently from its commitment`);
          return { round, fingerprint, path: merklePath(leaves, round).map((h) => h.toString('hex')) };
        });
      },
    };
  };
}

export type BenchmarkChoice = 'auto' | 'cpu' | 'none';

export interface EngineSelection {
  engine: BenchmarkEngine;
  /** For the agent's log: what answers challenges, in words. */
  description: string;
}

/**
 * Picks the agent's engine. `cpu`: the DEVELOPMENT path (JavaScript, paced; proves the protocol, not a GPU).
 * `none`: answers unsupported. `auto`: the host's python3 with PyTorch or CuPy on CUDA; else, with the Docker
 * runner, the pinned image with `--gpus all`; else unsupported (declared, unverified).
 */
export async function selectBenchmarkEngine(options: {
  choice: BenchmarkChoice;
  runner: 'docker' | 'process';
  path: string | undefined;
}): Promise<EngineSelection> {
  if (options.choice === 'cpu')
    return {
      engine: cpuBenchmarkEngine(),
      description:
        'DEVELOPMENT CPU path (--benchmark cpu): proofs computed in JavaScript and paced to the declared model; ' +
        'it proves the protocol, not the GPU, and takes development-size challenges only',
    };
  const none = (why: string): EngineSelection => ({
    engine: unsupportedBenchmarkEngine(why),
    description: `no GPU proof engine (${why}): challenges are answered unsupported and the node is listed as declared, unverified`,
  });
  if (options.choice === 'none') return none('--benchmark none');
  const python = findExecutable('python3', options.path);
  if (python) {
    const kernel = hostPythonCommand(python);
    const backend = await probeKernel(kernel);
    if (backend)
      return {
        engine: kernelBenchmarkEngine(kernel, backend),
        description: `GPU proof kernel on ${backend} (${kernel.label})`,
      };
  }
  const docker = options.runner === 'docker' ? findExecutable('docker', options.path) : null;
  if (docker) {
    const kernel = dockerCommand(docker);
    const backend = await probeKernel(kernel);
    if (backend)
      return {
        engine: kernelBenchmarkEngine(kernel, backend),
        description: `GPU proof kernel on ${backend} (${kernel.label})`,
      };
  }
  return none(
    python
      ? 'python3 has neither PyTorch nor CuPy with a CUDA GPU' +
          (docker ? ', and Docker could not run the image with GPUs' : '')
      : 'no python3 with PyTorch or CuPy' +
          (options.runner === 'docker' ? ' and Docker could not run the image with GPUs' : ''),
  );
}

export { UnsupportedProofError };
