import { describe, expect, it } from 'vitest';
import { buildAgentCommand } from '@/components/supplier/agent-command';
import {
  addDays,
  daysInRange,
  earningsChartPoints,
  formatBasisPoints,
  formatTokens,
} from '@/components/supplier/format';

describe('formatTokens', () => {
  it('never uses a dollar sign and rounds only from one token up', () => {
    expect(formatTokens('1234567890')).toBe('1,234.57 tokens');
    expect(formatTokens('1000000')).toBe('1.00 token');
    expect(formatTokens('321')).toBe('0.000321 tokens');
    expect(formatTokens('0')).toBe('0 tokens');
  });
});

describe('formatBasisPoints', () => {
  it('reads basis points as a percentage', () => {
    expect(formatBasisPoints(9731)).toBe('97.3%');
    expect(formatBasisPoints(0)).toBe('0.0%');
    expect(formatBasisPoints(10_000)).toBe('100.0%');
  });
});

describe('earningsChartPoints', () => {
  it('keeps paid USDC and the incentives’ USD value as separate series', () => {
    expect(
      earningsChartPoints([{ day: '2026-05-03', paidMicros: '1500000', incentiveUsdMicros: '250000' }]),
    ).toEqual([{ label: '05-03', day: '2026-05-03', paid: 1.5, incentivesUsd: 0.25 }]);
  });
});

describe('day ranges', () => {
  it('moves by whole UTC days and counts both ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysInRange('2026-05-01', '2026-05-30')).toBe(30);
    expect(daysInRange('2026-05-03', '2026-05-03')).toBe(1);
  });
});

describe('buildAgentCommand', () => {
  const base = {
    origin: 'http://localhost:3000',
    registrationToken: 'bfr_AbC-123_xyz',
    region: 'eu-west',
    priceMicros: 450_000n,
  };

  it('leaves the default docker runner out', () => {
    expect(buildAgentCommand({ ...base, runner: 'docker' })).toBe(
      'npm run agent -- --api http://localhost:3000 --token bfr_AbC-123_xyz --region eu-west --price 0.45',
    );
  });

  it('adds the process runner and declared GPUs', () => {
    expect(
      buildAgentCommand({ ...base, runner: 'process', gpus: { model: 'rtx-4090-24gb', count: 2 } }),
    ).toBe(
      'npm run agent -- --api http://localhost:3000 --token bfr_AbC-123_xyz --region eu-west --price 0.45 ' +
        '--runner process --gpus rtx-4090-24gb:2 --cuda 12.4',
    );
  });

  it('splits back into the same arguments', () => {
    const command = buildAgentCommand({ ...base, priceMicros: 1_250_000n, runner: 'process' });
    expect(command.split(' ').slice(4)).toEqual([
      '--api',
      'http://localhost:3000',
      '--token',
      'bfr_AbC-123_xyz',
      '--region',
      'eu-west',
      '--price',
      '1.25',
      '--runner',
      'process',
    ]);
  });

  it('refuses a word that would need shell quoting', () => {
    expect(() => buildAgentCommand({ ...base, region: 'eu west', runner: 'docker' })).toThrow(/unquoted/);
    expect(() => buildAgentCommand({ ...base, registrationToken: 'bfr_$(x)', runner: 'docker' })).toThrow();
  });
});
