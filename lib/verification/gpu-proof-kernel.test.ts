import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  computeCommitment,
  fingerprintBytes,
  fingerprintKeys,
  generateB,
  roundFingerprint,
} from '@/lib/verification/gpu-proof';
import { GPU_PROOF_KERNEL } from '@/lib/verification/gpu-proof-kernel';

/** The kernel with numpy on this machine's CPU (development backend): the same program a GPU node runs. */
function runKernel(mode: string, request: object): unknown {
  const out = spawnSync('python3', ['-c', GPU_PROOF_KERNEL, mode], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (out.status !== 0) throw new Error(`kernel failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasNumpy)('the Python kernel', () => {
  const params = { seed: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', m: 64, k: 64, rounds: 8 };

  it('commits to the same root as the JavaScript implementation (numpy backend, development sizes)', async () => {
    const js = await computeCommitment(params);
    const py = runKernel('commit', { ...params, lanes: 1, backend: 'numpy' }) as {
      leaves: string[];
      root: string;
    };
    expect(py.leaves).toEqual(js.leaves.map((leaf) => leaf.toString('hex')));
    expect(py.root).toBe(js.root);
  });

  it('reveals the same fingerprint vectors, at a non-square size too', () => {
    const odd = { ...params, m: 48, k: 32, rounds: 5 };
    const py = runKernel('reveal', { ...odd, backend: 'numpy', reveal: [4, 1] }) as {
      fingerprints: string[];
    };
    const b = generateB(odd);
    const keys = fingerprintKeys(odd);
    expect(py.fingerprints).toEqual(
      [4, 1].map((r) => fingerprintBytes(roundFingerprint(odd, b, keys, r)).toString('base64')),
    );
  });

  it('probes for a GPU backend without failing where there is none', () => {
    const found = runKernel('probe', {}) as { backend: string | null; devices: number };
    expect([null, 'torch-cuda', 'cupy']).toContain(found.backend);
    expect(found.devices).toBeGreaterThanOrEqual(0);
  });
});
