import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGpuList } from '@/lib/agent/gpu-detect';
import { NodeSpecError, describeNode, loadSpecFile, nodeGpus } from '@/lib/agent/node-spec';

const host = { hostname: 'rig-7', cpuCores: 32, ramGb: 128, diskGb: 1800 };

function specFile(content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-spec-'));
  const file = path.join(dir, 'node.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('node description', () => {
  it('refuses a machine without nvidia-smi and without declared GPUs', () => {
    expect(() => nodeGpus({ spec: null, detected: null, host })).toThrow(NodeSpecError);
    expect(() => nodeGpus({ spec: { region: 'eu-west' }, detected: null, host })).toThrow(
      /nvidia-smi was not found.*Refusing to start/,
    );
  });

  it('registers declared GPUs from the spec file', () => {
    const spec = loadSpecFile(
      specFile({
        name: 'test-box',
        region: 'eu-west',
        pricePerGpuHourUsd: 0.45,
        gpus: { model: 'rtx-4090-24gb', count: 2 },
        cudaVersion: '12.4',
        bandwidthMbps: 900,
      }),
    );
    const { registration, declared } = describeNode({ spec, detected: null, cudaVersion: null, host });
    expect(declared).toBe(true);
    expect(registration).toEqual({
      name: 'test-box',
      region: 'eu-west',
      pricePerGpuHourMicros: '450000',
      gpus: [
        { index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'declared-rig-7-0' },
        { index: 1, model: 'rtx-4090-24gb', vramGb: 24, serial: 'declared-rig-7-1' },
      ],
      cpuCores: 32,
      ramGb: 128,
      diskGb: 1800,
      bandwidthMbps: 900,
      cudaVersion: '12.4',
      interconnect: 'pcie',
    });
  });

  it('takes detected GPUs and lets flags override the spec file', () => {
    const detected = parseGpuList(
      '0, NVIDIA L40S, 46068, 1320000001, GPU-1\n1, NVIDIA L40S, 46068, 1320000002, GPU-2\n',
    );
    const { registration, declared } = describeNode({
      spec: { region: 'us-east', pricePerGpuHourUsd: 1 },
      detected,
      cudaVersion: '12.8',
      host,
      overrides: { region: 'eu-north', pricePerGpuHourUsd: 0.9, name: 'lab-l40s' },
    });
    expect(declared).toBe(false);
    expect(registration.region).toBe('eu-north');
    expect(registration.pricePerGpuHourMicros).toBe('900000');
    expect(registration.name).toBe('lab-l40s');
    expect(registration.gpus.map((g) => [g.model, g.vramGb, g.serial])).toEqual([
      ['l40s-48gb', 48, '1320000001'],
      ['l40s-48gb', 48, '1320000002'],
    ]);
  });

  it('refuses unsupported, mixed or contradicted hardware, and missing region or price', () => {
    const t4 = parseGpuList('0, Tesla T4, 15360, 1, GPU-1\n');
    expect(() => nodeGpus({ spec: null, detected: t4, host })).toThrow(/Unsupported GPU "Tesla T4"/);
    const mixed = parseGpuList('0, NVIDIA L4, 23034, 1, GPU-1\n1, NVIDIA L40S, 46068, 2, GPU-2\n');
    expect(() => nodeGpus({ spec: null, detected: mixed, host })).toThrow(/one model/);
    const l4 = parseGpuList('0, NVIDIA L4, 23034, 1, GPU-1\n');
    expect(() => nodeGpus({ spec: { gpus: { model: 'h100-80gb', count: 1 } }, detected: l4, host })).toThrow(
      /declares 1× h100-80gb but nvidia-smi detects 1× l4-24gb/,
    );
    expect(() => describeNode({ spec: null, detected: l4, cudaVersion: '12.4', host })).toThrow(/region/);
    expect(() =>
      describeNode({ spec: { region: 'eu-west' }, detected: l4, cudaVersion: '12.4', host }),
    ).toThrow(/price/);
  });

  it('names every problem of a bad spec file', () => {
    expect(() => loadSpecFile(specFile('{ not json'))).toThrow(/not valid JSON/);
    expect(() =>
      loadSpecFile(specFile({ region: 'mars', gpus: { model: 'rtx-4090-24gb', count: 0 }, colour: 'red' })),
    ).toThrow(/region.*gpus\.count.*unknown field colour|unknown field colour.*region/);
    expect(() => loadSpecFile('/nonexistent/spec.json')).toThrow(/Cannot read the spec file/);
  });
});
