import { describe, expect, it } from 'vitest';
import { agentUpdateNeeded, agentVersionSchema, compareVersions } from '@/lib/agent/version';
import packageJson from '@/package.json';
import { AGENT_VERSION } from '@/lib/agent/version';

describe('agent versions', () => {
  it('is the package’s version', () => {
    expect(AGENT_VERSION).toBe(packageJson.version);
    expect(agentVersionSchema.safeParse(AGENT_VERSION).success).toBe(true);
  });

  it('orders by semantic-version precedence', () => {
    const ordered = [
      '0.0.9',
      '0.1.0-alpha',
      '0.1.0-alpha.1',
      '0.1.0-alpha.beta',
      '0.1.0-beta.2',
      '0.1.0-beta.11',
      '0.1.0-rc.1',
      '0.1.0',
      '0.1.1',
      '0.2.0',
      '0.10.0',
      '1.0.0',
      '10.0.0',
    ];
    for (let i = 0; i < ordered.length; i += 1)
      for (let j = 0; j < ordered.length; j += 1)
        expect(
          compareVersions(ordered[i] as string, ordered[j] as string),
          `${ordered[i]} vs ${ordered[j]}`,
        ).toBe(Math.sign(i - j));
    expect(compareVersions('1.2.3+build.7', '1.2.3')).toBe(0);
  });

  it('refuses to compare what is not a version', () => {
    expect(() => compareVersions('1.2', '1.2.3')).toThrow(/not a semantic version: "1.2"/);
    expect(() => compareVersions('1.2.3', 'latest')).toThrow(/"latest"/);
  });

  it('needs an update only below a configured minimum; an unknown or unreadable version counts as older', () => {
    expect(agentUpdateNeeded('0.0.1', undefined)).toBe(false);
    expect(agentUpdateNeeded(null, null)).toBe(false);
    expect(agentUpdateNeeded('0.1.0', '0.1.0')).toBe(false);
    expect(agentUpdateNeeded('0.2.0', '0.1.0')).toBe(false);
    expect(agentUpdateNeeded('0.1.0-rc.1', '0.1.0')).toBe(true);
    expect(agentUpdateNeeded('0.0.9', '0.1.0')).toBe(true);
    expect(agentUpdateNeeded(null, '0.1.0')).toBe(true);
    expect(agentUpdateNeeded('sim-0.1.0', '0.1.0')).toBe(true);
  });

  it.each(['1.2.3', '0.0.0', '1.2.3-rc.1', '1.2.3+sha.abc', '999999999.0.0'])('accepts %s', (v) => {
    expect(agentVersionSchema.safeParse(v).success).toBe(true);
  });

  it.each(['', '1', '1.2', 'v1.2.3', '01.2.3', '1.2.3-', '1.2.3 ', '1234567890.0.0', 'x'.repeat(41)])(
    'refuses %j',
    (v) => {
      expect(agentVersionSchema.safeParse(v).success).toBe(false);
    },
  );
});
