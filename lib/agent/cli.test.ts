import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, parseAgentArgs, readNodeState, writeNodeState } from '@/lib/agent/cli';

describe('agent flags', () => {
  it('parses the documented flags', () => {
    const args = parseAgentArgs([
      '--api',
      'https://backfill.example.com',
      '--token',
      'reg_abcdefghijkl',
      '--spec',
      'node.json',
      '--runner',
      'process',
      '--state-dir',
      '/var/lib/backfill-agent',
      '--price',
      '1.25',
    ]);
    expect(args).toMatchObject({
      api: 'https://backfill.example.com',
      token: 'reg_abcdefghijkl',
      spec: 'node.json',
      runner: 'process',
      stateDir: '/var/lib/backfill-agent',
      priceUsd: 1.25,
      help: false,
    });
    expect(parseAgentArgs(['--gpus', 'rtx-4090-24gb:2']).gpus).toEqual({ model: 'rtx-4090-24gb', count: 2 });
    expect(() => parseAgentArgs(['--gpus', 'gtx-1080:1'])).toThrow(/--gpus must be <model>:<count>/);
    expect(() => parseAgentArgs(['--gpus', 'rtx-4090-24gb:0'])).toThrow(/count must be 1 to 16/);
    expect(() => parseAgentArgs(['--gpus', 'rtx-4090-24gb'])).toThrow(UsageError);
    expect(parseAgentArgs(['--cuda', '12.4']).cudaVersion).toBe('12.4');
    expect(() => parseAgentArgs(['--cuda', 'twelve'])).toThrow(/--cuda must look like 12.4/);
    expect(parseAgentArgs([]).runner).toBe('docker');
    expect(parseAgentArgs([]).benchmark).toBe('auto');
    expect(parseAgentArgs(['--benchmark', 'cpu']).benchmark).toBe('cpu');
  });

  it.each([
    [['--runner', 'podman'], /--runner must be "docker" or "process"/],
    [['--benchmark', 'gpu'], /--benchmark must be "auto", "none" or "cpu"/],
    [['--api', 'backfill.example.com'], /--api must be a URL/],
    [['--api', 'ftp://backfill.example.com'], /http:\/\/ or https:\/\//],
    [['--token', 'short'], /too short/],
    [['--price', 'cheap'], /--price must be a positive number/],
    [['--price', '0'], /--price must be a positive number/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['--api'], /argument missing/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseAgentArgs(argv)).toThrow(UsageError);
    expect(() => parseAgentArgs(argv)).toThrow(message);
  });
});

describe('node state', () => {
  it('is saved readable by the owner only and read back', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'backfill-agent-')), 'state');
    const state = {
      apiUrl: 'http://127.0.0.1:3000/',
      nodeId: '6a4c1d2e-0000-4000-8000-000000000001',
      nodeToken: 'bfn_secret',
      registeredAt: '2026-01-01T00:00:00.000Z',
    };
    expect(readNodeState(dir)).toBeNull();
    writeNodeState(dir, state);
    expect(readNodeState(dir)).toEqual(state);
    expect(statSync(path.join(dir, 'node.json')).mode & 0o777).toBe(0o600);
  });
});
