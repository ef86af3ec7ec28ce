import { describe, expect, it } from 'vitest';
import { compactNumber, evenTickInterval } from '@/components/ui/chart-axes';

describe('chart axes', () => {
  it('spaces category ticks evenly, about seven of them', () => {
    expect(evenTickInterval(0)).toBe(0);
    expect(evenTickInterval(7)).toBe(0);
    expect(evenTickInterval(8)).toBe(1);
    expect(evenTickInterval(30)).toBe(4);
    expect(evenTickInterval(120)).toBe(17);
    expect(evenTickInterval(30, 10)).toBe(2);
  });

  it('writes axis numbers short, so no gutter cuts them', () => {
    expect(compactNumber(0)).toBe('0');
    expect(compactNumber(97.5)).toBe('97.5');
    expect(compactNumber(950)).toBe('950');
    expect(compactNumber(1_234)).toBe('1.2K');
    expect(compactNumber(75_000)).toBe('75K');
    expect(compactNumber(81_920)).toBe('81.9K');
    expect(compactNumber(3_400_000)).toBe('3.4M');
    expect(compactNumber(-2_500)).toBe('-2.5K');
    expect(compactNumber(0.25)).toBe('0.3');
  });
});
