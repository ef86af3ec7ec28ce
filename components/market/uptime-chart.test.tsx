import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { UptimeChart, type UptimePoint } from '@/components/market/uptime-chart';

const days = (uptimes: (number | null)[]): UptimePoint[] =>
  uptimes.map((uptime, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, uptime }));

describe('UptimeChart', () => {
  it('draws one bar per day with data, from the baseline, never past 100 %', () => {
    const html = renderToStaticMarkup(<UptimeChart data={days([1, 0.5, null, 0])} />);
    const bars = [...html.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="0.7" height="([\d.]+)"/g)].map(
      (m) => m.slice(1).map(Number),
    );
    expect(bars).toEqual([
      [0.15, 0, 100],
      [1.15, 50, 50],
      [3.15, 100, 0],
    ]);
    expect(html).toContain('<title>2026-11-02: 50% up</title>');
    expect(html).toContain('viewBox="0 0 4 100"');
  });

  it('labels every fifth day below the bars and the 0 / 50 / 100 % grid beside them', () => {
    const html = renderToStaticMarkup(<UptimeChart data={days(Array.from({ length: 30 }, () => 0.99))} />);
    expect([...html.matchAll(/>(11-\d\d)</g)].map((m) => m[1])).toEqual([
      '11-01',
      '11-06',
      '11-11',
      '11-16',
      '11-21',
      '11-26',
    ]);
    expect([...html.matchAll(/<span>(\d+%)<\/span>/g)].map((m) => m[1])).toEqual(['100%', '50%', '0%']);
  });

  it('an empty series draws the axes and no bar', () => {
    const html = renderToStaticMarkup(<UptimeChart data={[]} />);
    expect(html).not.toContain('<rect');
    expect(html).toContain('0%');
  });
});
