import { describe, expect, it } from 'vitest';
import { parsePriceInput } from '@/components/supplier/price-input';
import { updateNodePriceSchema } from '@/lib/supplier/schemas';
import { registerRequestSchema } from '@/lib/agent/schemas';

describe('parsePriceInput', () => {
  it('accepts dollars with up to six decimals', () => {
    expect(parsePriceInput('0.45')).toEqual({ micros: 450_000n });
    expect(parsePriceInput(' $2 ')).toEqual({ micros: 2_000_000n });
    expect(parsePriceInput('0.000001')).toEqual({ micros: 1n });
    expect(parsePriceInput('1000')).toEqual({ micros: 1_000_000_000n });
  });

  it('refuses zero and too much in the API contract’s words', () => {
    expect(parsePriceInput('0')).toEqual({ error: 'Must be greater than zero.' });
    expect(parsePriceInput('1000.01')).toEqual({
      error: 'Must be at most 1,000 USDC per GPU-hour (1000000000 micro-USDC).',
    });
  });

  it('refuses what is not a price', () => {
    for (const text of ['abc', '1.1234567', '-1', '', '1,5'])
      expect(parsePriceInput(text)).toEqual({
        error: 'Enter a price in USD per GPU-hour, such as 0.45 (at most 6 decimals).',
      });
  });

  it('allows exactly what a price change and a registration allow', () => {
    for (const text of ['0.000001', '0.45', '999.999999', '1000', '1000.000001', '0']) {
      const parsed = parsePriceInput(text);
      const micros = 'micros' in parsed ? parsed.micros.toString() : null;
      const asked = micros ?? String(BigInt(Math.round(Number(text) * 1e6)));
      const update = updateNodePriceSchema.safeParse({ pricePerGpuHourMicros: asked }).success;
      const register = registerRequestSchema.shape.pricePerGpuHourMicros.safeParse(asked).success;
      expect([text, micros !== null]).toEqual([text, update]);
      expect(register).toBe(update);
    }
  });
});
