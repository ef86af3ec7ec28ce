import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './agent-run';

/** The repository's reference renderer (workloads/render), uploaded as a job's input by the specs. */
export const RENDERER = path.join(REPO_ROOT, 'workloads', 'render', 'render.mjs');

/** Its scene, made small enough for a spec: `frames` frames of `width`×`height` at `samples` samples. */
export function renderScene(size: {
  width: number;
  height: number;
  samples: number;
  frames: number;
}): string {
  const scene = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'workloads', 'render', 'scene.json'), 'utf8'),
  ) as object;
  return JSON.stringify({ ...scene, ...size });
}
