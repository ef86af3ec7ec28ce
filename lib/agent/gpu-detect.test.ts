import { describe, expect, it } from 'vitest';
import {
  declaredTelemetry,
  findNvidiaSmi,
  modelForGpuName,
  parseCudaVersion,
  parseGpuList,
  parseTelemetry,
} from '@/lib/agent/gpu-detect';

// Captured from `nvidia-smi --query-gpu=index,name,memory.total,serial,uuid --format=csv,noheader,nounits`.
const H100_SERVER = `0, NVIDIA H100 80GB HBM3, 81559, 1652922012345, GPU-8c6f1e2a-61c3-6f0e-2f8b-2f6d0d3b1a11
1, NVIDIA H100 80GB HBM3, 81559, 1652922012346, GPU-6a0d3c49-8e8f-b1b7-9d8e-1b2c3d4e5f60
2, NVIDIA H100 80GB HBM3, 81559, 1652922012347, GPU-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
3, NVIDIA H100 80GB HBM3, 81559, 1652922012348, GPU-11223344-5566-7788-99aa-bbccddeeff00
`;
const GAMER_BOX = `0, NVIDIA GeForce RTX 4090, 24564, [N/A], GPU-9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0\r
1, NVIDIA GeForce RTX 4090, 24564, [N/A], GPU-a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90\r
`;
// The older four-column form (no uuid).
const A100_40 = `0, NVIDIA A100-SXM4-40GB, 40960, 1323220001234\n`;

describe('parseGpuList', () => {
  it('reads a data-center server', () => {
    const gpus = parseGpuList(H100_SERVER);
    expect(gpus).toHaveLength(4);
    expect(gpus[0]).toEqual({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      memoryMib: 81559,
      serial: '1652922012345',
      model: 'h100-80gb',
    });
    expect(new Set(gpus.map((g) => g.serial)).size).toBe(4);
  });

  it('falls back to the GPU UUID where the board reports no serial', () => {
    const gpus = parseGpuList(GAMER_BOX);
    expect(gpus.map((g) => [g.index, g.model, g.serial])).toEqual([
      [0, 'rtx-4090-24gb', 'GPU-9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0'],
      [1, 'rtx-4090-24gb', 'GPU-a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90'],
    ]);
  });

  it('accepts the four-column query', () => {
    expect(parseGpuList(A100_40)).toEqual([
      {
        index: 0,
        name: 'NVIDIA A100-SXM4-40GB',
        memoryMib: 40960,
        serial: '1323220001234',
        model: 'a100-40gb',
      },
    ]);
  });

  it('reads an empty listing as no GPUs and refuses garbage', () => {
    expect(parseGpuList('\n')).toEqual([]);
    expect(() => parseGpuList('No devices were found')).toThrow(/Unexpected nvidia-smi line/);
  });
});

describe('modelForGpuName', () => {
  it.each([
    ['NVIDIA H200', 143771, 'h200-141gb'],
    ['NVIDIA H100 PCIe', 81559, 'h100-80gb'],
    ['NVIDIA H100 NVL', 95830, null],
    ['NVIDIA A100-SXM4-80GB', 81920, 'a100-80gb'],
    ['NVIDIA A100 80GB PCIe', 81920, 'a100-80gb'],
    ['NVIDIA A100-PCIE-40GB', 40960, 'a100-40gb'],
    ['NVIDIA L40S', 46068, 'l40s-48gb'],
    ['NVIDIA L40', 46068, null],
    ['NVIDIA L4', 23034, 'l4-24gb'],
    ['NVIDIA RTX A6000', 49140, 'rtx-a6000-48gb'],
    ['NVIDIA RTX 6000 Ada Generation', 49140, null],
    ['NVIDIA GeForce RTX 4090', 24564, 'rtx-4090-24gb'],
    ['NVIDIA GeForce RTX 4090 D', 24564, null],
    ['NVIDIA GeForce RTX 4090 Laptop GPU', 16376, null],
    ['NVIDIA GeForce RTX 3090', 24576, 'rtx-3090-24gb'],
    ['NVIDIA GeForce RTX 3090 Ti', 24564, null],
    ['Tesla T4', 15360, null],
  ])('%s (%i MiB) → %s', (name, memory, model) => {
    expect(modelForGpuName(name, memory)).toBe(model);
  });
});

describe('parseTelemetry', () => {
  it('reads utilisation, memory, temperature and power, with [N/A] as 0 and values clamped', () => {
    const csv = `0, 97, 61234, 71, 402.51
1, 0, 3, 34, [N/A]
2, 140, -1, 200, 5000
junk line
`;
    expect(parseTelemetry(csv)).toEqual([
      { index: 0, utilizationPct: 97, memoryUsedMb: 61234, temperatureC: 71, powerW: 402.5 },
      { index: 1, utilizationPct: 0, memoryUsedMb: 3, temperatureC: 34, powerW: 0 },
      { index: 2, utilizationPct: 100, memoryUsedMb: 0, temperatureC: 130, powerW: 2000 },
    ]);
  });

  it('reports declared GPUs as idle with no readings', () => {
    expect(declaredTelemetry([{ index: 0 }, { index: 1 }])).toEqual([
      { index: 0, utilizationPct: 0, memoryUsedMb: 0, temperatureC: 0, powerW: 0 },
      { index: 1, utilizationPct: 0, memoryUsedMb: 0, temperatureC: 0, powerW: 0 },
    ]);
  });
});

describe('nvidia-smi itself', () => {
  it('reads the CUDA version from the banner', () => {
    const banner = `+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+`;
    expect(parseCudaVersion(banner)).toBe('12.4');
    expect(parseCudaVersion('no banner')).toBeNull();
  });

  it('is reported absent when it is not on PATH', () => {
    expect(findNvidiaSmi('/nonexistent-dir')).toBeNull();
  });
});
