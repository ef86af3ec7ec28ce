import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_METHODOLOGY, METRIC_IDS, METRICS, waitBucketSeconds } from '@/lib/metrics/definitions';
import { wantsCsv } from '@/lib/metrics/http';
import { metricQuerySchema } from '@/lib/metrics/schemas';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('metric definitions', () => {
  it('define every metric once, each with a period column and unique column keys', () => {
    expect(METRICS.map((m) => m.id)).toEqual([...METRIC_IDS]);
    for (const m of METRICS) {
      const keys = m.columns.map((c) => c.key);
      expect(new Set(keys).size, m.id).toBe(keys.length);
      expect(keys, m.id).toContain('period');
      expect(m.columns.at(-1), m.id).toEqual({ key: 'simulated', label: 'Simulated', type: 'boolean' });
      expect(m.methodology.length, m.id).toBeGreaterThan(150);
    }
  });

  it('are documented word for word in docs/metrics.md', () => {
    const doc = flat(readFileSync(path.join(process.cwd(), 'docs', 'metrics.md'), 'utf8'));
    for (const m of METRICS) {
      expect(doc, m.id).toContain(flat(m.methodology));
      expect(doc, m.id).toContain(`\`${m.id}\``);
    }
    expect(doc).toContain(flat(COMMON_METHODOLOGY));
  });

  it('bucket waits by second, minute and hour, always rounding down', () => {
    expect([0, 0.9, 59.99, 60, 61, 3599, 3600, 7199.5, 86_400].map(waitBucketSeconds)).toEqual([
      0, 0, 59, 60, 60, 3540, 3600, 3600, 86_400,
    ]);
    expect(waitBucketSeconds(-5)).toBe(0);
  });
});

describe('metric queries', () => {
  it('accept real dates only and no unknown parameters', () => {
    expect(metricQuerySchema.safeParse({ from: '2026-02-28', to: '2026-03-01' }).success).toBe(true);
    for (const bad of [{ from: '2026-02-30' }, { to: '26-1-1' }, { granularity: 'hour' }, { page: '1' }])
      expect(metricQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('answer CSV when asked by parameter or by Accept', () => {
    expect(wantsCsv('csv', null)).toBe(true);
    expect(wantsCsv('json', 'text/csv')).toBe(false);
    expect(wantsCsv(undefined, 'text/csv')).toBe(true);
    expect(wantsCsv(undefined, 'application/json, text/csv')).toBe(false);
    expect(wantsCsv(undefined, '*/*')).toBe(false);
    expect(wantsCsv(undefined, null)).toBe(false);
  });
});
