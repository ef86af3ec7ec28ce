import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'render.mjs');
const FRAMES = 6;

/** A scene small enough for a slow shared machine: a frame takes a few milliseconds. */
const SCENE = {
  width: 32,
  height: 24,
  samples: 4,
  maxDepth: 4,
  frames: FRAMES,
  seed: 7,
  camera: { lookAt: [0, 0.7, 0], fovDeg: 40, orbit: { radius: 5, height: 1.5 } },
  objects: [
    {
      type: 'sphere',
      center: [0, -1000, 0],
      radius: 1000,
      material: { type: 'diffuse', color: [0.5, 0.5, 0.5] },
    },
    { type: 'sphere', center: [0, 1, 0], radius: 1, material: { type: 'diffuse', color: [0.8, 0.3, 0.2] } },
    {
      type: 'sphere',
      center: [-2, 0.8, 0],
      radius: 0.8,
      material: { type: 'metal', color: [0.9, 0.9, 0.9], fuzz: 0.2 },
    },
    {
      type: 'sphere',
      center: [1.5, 0.3, 1],
      radius: 0.3,
      material: { type: 'emissive', color: [1, 0.9, 0.7], strength: 5 },
    },
  ],
};

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Dirs {
  input: string;
  output: string;
  checkpoints: string;
}

let root = '';
let counter = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'render-test-'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A fresh "machine": an input dir holding `scene`, and empty output and checkpoint dirs. */
function freshDirs(scene: unknown = SCENE): Dirs {
  const base = path.join(root, `run-${++counter}`);
  const dirs = {
    input: path.join(base, 'in'),
    output: path.join(base, 'out'),
    checkpoints: path.join(base, 'ckpt'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dirs.input, 'scene.json'),
    typeof scene === 'string' ? scene : JSON.stringify(scene),
  );
  return dirs;
}

/** Runs the workload; `onStdout` sees the output so far and may kill the child. */
function run(
  dirs: Dirs,
  extraEnv: Record<string, string> = {},
  onStdout?: (text: string, kill: () => void) => void,
): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('BACKFILL_') || key.startsWith('RENDER_')) delete env[key];
  Object.assign(env, {
    BACKFILL_INPUT_DIR: dirs.input,
    BACKFILL_OUTPUT_DIR: dirs.output,
    BACKFILL_CHECKPOINT_DIR: dirs.checkpoints,
    BACKFILL_WORK_UNITS: String(FRAMES),
    ...extraEnv,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const lines = (stdout: string, word: string): string[][] =>
  stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === word);

/** The files a run left in its output dir, by name. */
function outputs(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name))]),
  );
}

const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** The digest the workload reports: sha256 over the frames' sha256 digests, in frame order. */
function expectedResult(files: Map<string, Buffer>): string {
  return sha256(Buffer.concat([...files.values()].map(sha256))).toString('hex');
}

const frameNames = Array.from({ length: FRAMES }, (_, i) => `frame-${String(i).padStart(4, '0')}.png`);

describe('render workload', () => {
  let reference: { dirs: Dirs; result: RunResult; files: Map<string, Buffer> } | null = null;

  async function referenceRun() {
    if (!reference) {
      const dirs = freshDirs();
      const result = await run(dirs);
      reference = { dirs, result, files: outputs(dirs.output) };
    }
    return reference;
  }

  it('renders every frame to PNG and speaks the stdout protocol', async () => {
    const { dirs, result, files } = await referenceRun();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect([...files.keys()]).toEqual(frameNames);
    for (const png of files.values()) {
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
        true,
      );
      expect(png.toString('latin1', 12, 16)).toBe('IHDR');
      expect(png.readUInt32BE(16)).toBe(SCENE.width);
      expect(png.readUInt32BE(20)).toBe(SCENE.height);
    }
    expect(lines(result.stdout, 'BACKFILL_PROGRESS').map((w) => Number(w[1]))).toEqual([1, 2, 3, 4, 5, 6]);
    const checkpoints = lines(result.stdout, 'BACKFILL_CHECKPOINT');
    expect(checkpoints.map((w) => Number(w[1]))).toEqual([1, 2, 3, 4, 5, 6]);
    for (const words of checkpoints) expect(words[2]).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    // Older checkpoints are cleaned up; the newest two stay, and no temporary files are left behind.
    expect(readdirSync(dirs.checkpoints).sort()).toEqual(checkpoints.slice(-2).map((w) => w[2]));
    const results = lines(result.stdout, 'BACKFILL_RESULT');
    expect(results).toHaveLength(1);
    expect(results[0]?.[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(results[0]?.[1]).toBe(expectedResult(files));
    expect(result.stdout).toMatch(/rendered frame 0 in \d+ ms/);
  });

  it('gives byte-identical outputs on a second run', async () => {
    const first = await referenceRun();
    const dirs = freshDirs();
    const second = await run(dirs);
    expect(second.code).toBe(0);
    expect(outputs(dirs.output)).toEqual(first.files);
    expect(lines(second.stdout, 'BACKFILL_RESULT')).toEqual(lines(first.result.stdout, 'BACKFILL_RESULT'));
  });

  it('resumes on another machine from the first checkpoint with byte-identical results', async () => {
    const first = await referenceRun();
    const killedDirs = freshDirs();
    const moved = freshDirs(); // the other machine: nothing but the checkpoint file
    const seen: { checkpoint?: string[] } = {};
    const killed = await run(killedDirs, { RENDER_SLEEP_MS_PER_FRAME: '2000' }, (stdout, kill) => {
      const checkpoint = lines(stdout, 'BACKFILL_CHECKPOINT')[0];
      if (checkpoint && !seen.checkpoint) {
        seen.checkpoint = checkpoint;
        // Copy it at once, as the agent's upload would, then kill the run without warning.
        copyFileSync(
          path.join(killedDirs.checkpoints, checkpoint[2] ?? ''),
          path.join(moved.checkpoints, checkpoint[2] ?? ''),
        );
        kill();
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    const [, units, name] = seen.checkpoint ?? [];
    expect(units).toBe('1');
    expect(lines(killed.stdout, 'BACKFILL_RESULT')).toEqual([]);

    const resumed = await run(moved, { BACKFILL_RESUME_UNITS: units ?? '', BACKFILL_RESUME_REF: name ?? '' });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming from ${name} at frame 1`);
    expect(resumed.stdout).not.toMatch(/rendered frame 0 /);
    expect(lines(resumed.stdout, 'BACKFILL_PROGRESS').map((w) => Number(w[1]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outputs(moved.output)).toEqual(first.files);
    expect(lines(resumed.stdout, 'BACKFILL_RESULT')).toEqual(lines(first.result.stdout, 'BACKFILL_RESULT'));
  });

  it('refuses a checkpoint made for a different scene with exit code 2', async () => {
    const first = await referenceRun();
    const name = lines(first.result.stdout, 'BACKFILL_CHECKPOINT').at(-1)?.[2] ?? '';
    const dirs = freshDirs({ ...SCENE, samples: SCENE.samples + 1 });
    copyFileSync(path.join(first.dirs.checkpoints, name), path.join(dirs.checkpoints, name));
    const result = await run(dirs, { BACKFILL_RESUME_UNITS: String(FRAMES), BACKFILL_RESUME_REF: name });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/different scene/);
    expect(readdirSync(dirs.output)).toEqual([]);
  });

  it('fails with a message on an invalid scene', async () => {
    const broken = await run(freshDirs('{ "width": 32, '));
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/not valid JSON/);

    const wrong = await run(freshDirs({ ...SCENE, width: -1 }));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/width/);
    expect(lines(wrong.stdout, 'BACKFILL_RESULT')).toEqual([]);
  });

  it('fails when the resume file is missing', async () => {
    const result = await run(freshDirs(), {
      BACKFILL_RESUME_UNITS: '3',
      BACKFILL_RESUME_REF: 'render-0003.ckpt',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot read checkpoint/);
  });
});
