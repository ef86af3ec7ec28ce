import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { openDatabase } from '@/lib/db/client';
import { nodes, offers } from '@/lib/db/schema';
import { prepareDatabase } from '@/scripts/lib/prepare-database';

const dataDir = mkdtempSync(path.join(tmpdir(), 'backfill-seed-'));
const clock = new ManualClock('2026-11-20T00:00:00Z');

async function count() {
  const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    return {
      nodes: (await handle.db.select({ id: nodes.id }).from(nodes)).length,
      offers: (await handle.db.select({ id: offers.nodeId }).from(offers)).length,
    };
  } finally {
    await handle.close();
  }
}

describe('start-up database preparation (embedded PGlite on disk)', () => {
  beforeAll(() => {
    // The env module reads configuration once per test file, so set it before the first call.
    process.env.DATA_DIR = dataDir;
    process.env.DEMO_NODES = '40';
    delete process.env.DATABASE_URL;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates and seeds an empty database, then leaves a seeded one alone', async () => {
    const lines: string[] = [];
    await prepareDatabase({ seed: true, clock, log: (l) => lines.push(l) });
    const first = await count();
    expect(first.nodes).toBe(40);
    expect(lines.some((l) => l.includes('seeded 40 nodes'))).toBe(true);
    expect(lines.some((l) => l.includes('100%'))).toBe(true);

    const again: string[] = [];
    await prepareDatabase({ seed: true, clock, log: (l) => again.push(l) });
    expect(await count()).toEqual(first);
    expect(again.some((l) => l.includes('already present'))).toBe(true);
  });

  it('regenerates the same network on reset', async () => {
    const before = await count();
    await prepareDatabase({ seed: true, reset: true, clock, log: () => {} });
    expect(await count()).toEqual(before);
  });

  it('only migrates when seeding is not asked for', async () => {
    await prepareDatabase({ seed: false, reset: true, clock, log: () => {} });
    expect(await count()).toEqual({ nodes: 0, offers: 0 });
  });
});
