import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildIsStale } from '@/scripts/lib/build-freshness';

const roots: string[] = [];
function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'backfill-build-'));
  roots.push(root);
  mkdirSync(path.join(root, 'app'), { recursive: true });
  writeFileSync(path.join(root, 'app', 'page.tsx'), 'export default function Page() {}');
  return root;
}
const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('build freshness', () => {
  it('is stale when there is no build', () => {
    expect(buildIsStale(project())).toBe(true);
  });

  it('is fresh when the build is newer than every source, stale after a source changes', () => {
    const root = project();
    const page = path.join(root, 'app', 'page.tsx');
    mkdirSync(path.join(root, '.next'));
    const buildId = path.join(root, '.next', 'BUILD_ID');
    writeFileSync(buildId, 'x');
    at(path.join(root, 'app'), 1_000);
    at(page, 1_000);
    at(buildId, 2_000);
    expect(buildIsStale(root)).toBe(false);
    at(page, 3_000);
    expect(buildIsStale(root)).toBe(true);
  });

  it('honours another output directory', () => {
    const root = project();
    mkdirSync(path.join(root, '.next-bench'));
    writeFileSync(path.join(root, '.next-bench', 'BUILD_ID'), 'x');
    expect(buildIsStale(root, '.next')).toBe(true);
  });
});
