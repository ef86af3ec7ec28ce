import { describe, expect, it } from 'vitest';
import { formatMoney, formatUsd, microsToDecimal, parseUsdcToMicros } from '@/lib/money';

describe('money', () => {
  it('parses decimal USDC into exact micros', () => {
    expect(parseUsdcToMicros('2.5')).toBe(2_500_000n);
    expect(parseUsdcToMicros('0.000001')).toBe(1n);
    expect(parseUsdcToMicros(' 12 ')).toBe(12_000_000n);
  });

  it('refuses anything that is not a plain non-negative decimal with at most 6 places', () => {
    for (const bad of ['', '-1', '1e3', '1.0000001', 'abc', '1,5', '.5', 'NaN']) {
      expect(parseUsdcToMicros(bad)).toBeNull();
    }
  });

  it('formats at the edge with half-up rounding and thousands separators', () => {
    expect(formatUsd(2_250_000n)).toBe('$2.25');
    expect(formatUsd('2255000')).toBe('$2.26');
    expect(formatUsd(1_234_567_890_000n)).toBe('$1,234,567.89');
    expect(formatUsd(-500_000n)).toBe('−$0.50');
    expect(formatUsd(1n, 6)).toBe('$0.000001');
  });

  it('round-trips micros through exact decimal text', () => {
    for (const micros of [0n, 1n, 2_250_000n, 123_456_789n]) {
      expect(parseUsdcToMicros(microsToDecimal(micros))).toBe(micros);
    }
  });
});

describe('formatMoney', () => {
  it('shows cents, and the exact amount only below a cent', () => {
    expect(formatMoney('12345678')).toBe('$12.35');
    expect(formatMoney('1000000')).toBe('$1.00');
    expect(formatMoney('92009')).toBe('$0.09');
    expect(formatMoney('999999')).toBe('$1.00');
    expect(formatMoney('500000')).toBe('$0.50');
    expect(formatMoney('10000')).toBe('$0.01');
    expect(formatMoney('9999')).toBe('$0.009999');
    expect(formatMoney('1250')).toBe('$0.00125');
    expect(formatMoney('0')).toBe('$0.00');
    expect(formatMoney(-1250n)).toBe('−$0.00125');
    expect(formatMoney(-2_500_000n)).toBe('−$2.50');
  });
});
