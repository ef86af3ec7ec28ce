import { execFile } from 'node:child_process';
import type { RegisteredGpu } from '@/lib/agent/node-spec';
import type { GpuTelemetry } from '@/lib/db/schema/nodes';
import type { GpuModelId } from '@/lib/market/gpu-models';
import { findExecutable } from '@/lib/agent/which';

/**
 * What the agent learns from `nvidia-smi`: the GPUs (index, model, memory, serial) for registration, the CUDA
 * version, and live telemetry for every heartbeat. The parsers take the CSV text, so they are tested with
 * captured output; running the tool is a thin wrapper.
 */

export const GPU_QUERY = ['--query-gpu=index,name,memory.total,serial,uuid', '--format=csv,noheader,nounits'];
export const TELEMETRY_QUERY = [
  '--query-gpu=index,utilization.gpu,memory.used,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
];

export interface DetectedGpu {
  index: number;
  /** The name nvidia-smi reports, e.g. "NVIDIA H100 80GB HBM3". */
  name: string;
  memoryMib: number;
  /** The board serial, or the GPU UUID where the board has none (GeForce cards report [N/A]). */
  serial: string;
  /** The marketplace's model id, or null for a GPU the reference table does not list. */
  model: GpuModelId | null;
}

const NOT_AVAILABLE = /^\[?(n\/a|not supported|unknown error|insufficient permissions)\]?$/i;

function cells(line: string): string[] {
  return line.split(',').map((cell) => cell.trim());
}

function present(value: string | undefined): string | null {
  if (value === undefined || value === '' || NOT_AVAILABLE.test(value)) return null;
  return value;
}

/**
 * Maps an nvidia-smi product name (and its memory, which tells A100 40GB from 80GB) to a model of the
 * reference table. Look-alikes with different throughput (H100 NVL, L40 without S, RTX 4090 D, laptop
 * parts, RTX 3090 Ti, RTX 6000 Ada) are not these models and map to null.
 */
export function modelForGpuName(name: string, memoryMib: number): GpuModelId | null {
  const n = name
    .toLowerCase()
    .replace(/^nvidia\s+/, '')
    .replace(/\s+/g, ' ');
  if (/laptop|mobile|max-q/.test(n)) return null;
  if (/\bh200\b/.test(n)) return 'h200-141gb';
  if (/\bh100\b/.test(n)) return /\bnvl\b/.test(n) || memoryMib > 90_000 ? null : 'h100-80gb';
  if (/\ba100\b/.test(n)) return memoryMib >= 60_000 ? 'a100-80gb' : 'a100-40gb';
  if (/\bl40s\b/.test(n)) return 'l40s-48gb';
  if (/\bl4\b/.test(n)) return 'l4-24gb';
  if (/\brtx a6000\b/.test(n)) return 'rtx-a6000-48gb';
  if (/\brtx 4090\b/.test(n)) return /\brtx 4090 d\b/.test(n) ? null : 'rtx-4090-24gb';
  if (/\brtx 3090\b/.test(n)) return /\b3090 ti\b/.test(n) ? null : 'rtx-3090-24gb';
  return null;
}

/** Parses `nvidia-smi --query-gpu=index,name,memory.total,serial[,uuid] --format=csv,noheader,nounits`. */
export function parseGpuList(csv: string): DetectedGpu[] {
  const gpus: DetectedGpu[] = [];
  for (const raw of csv.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const [indexText, name, memoryText, serialText, uuidText] = cells(line);
    if (indexText === undefined || !/^\d+$/.test(indexText) || !name || memoryText === undefined)
      throw new Error(`Unexpected nvidia-smi line: "${line}"`);
    const memoryMib = Number(present(memoryText) ?? '0');
    if (!Number.isFinite(memoryMib)) throw new Error(`Unexpected GPU memory in nvidia-smi line: "${line}"`);
    const index = Number(indexText);
    gpus.push({
      index,
      name,
      memoryMib: Math.round(memoryMib),
      serial: present(serialText) ?? present(uuidText) ?? `unknown-serial-${index}`,
      model: modelForGpuName(name, memoryMib),
    });
  }
  return gpus;
}

function numberOrZero(value: string | undefined): number {
  const text = present(value);
  if (text === null) return 0;
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,temperature.gpu,power.draw
 * --format=csv,noheader,nounits`. Unreported values ([N/A]) read as 0; everything is clamped to the
 * protocol's ranges.
 */
export function parseTelemetry(csv: string): GpuTelemetry[] {
  const rows: GpuTelemetry[] = [];
  for (const raw of csv.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const [indexText, utilization, memoryUsed, temperature, power] = cells(line);
    if (indexText === undefined || !/^\d+$/.test(indexText)) continue;
    const index = Number(indexText);
    if (index > 15) continue;
    rows.push({
      index,
      utilizationPct: clamp(numberOrZero(utilization), 0, 100),
      memoryUsedMb: Math.round(clamp(numberOrZero(memoryUsed), 0, 1_000_000)),
      temperatureC: clamp(numberOrZero(temperature), -20, 130),
      powerW: Math.round(clamp(numberOrZero(power), 0, 2_000) * 10) / 10,
    });
  }
  return rows;
}

/** The CUDA version from plain `nvidia-smi` output ("CUDA Version: 12.4"), or null. */
export function parseCudaVersion(text: string): string | null {
  const match = /CUDA Version:\s*(\d{1,2}\.\d{1,2})/.exec(text);
  return match?.[1] ?? null;
}

/** Telemetry of GPUs the supplier declared instead of nvidia-smi detecting them: nothing measured, all zero. */
export function declaredTelemetry(gpus: readonly Pick<RegisteredGpu, 'index'>[]): GpuTelemetry[] {
  return gpus.map((gpu) => ({
    index: gpu.index,
    utilizationPct: 0,
    memoryUsedMb: 0,
    temperatureC: 0,
    powerW: 0,
  }));
}

function run(file: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

export interface NvidiaSmi {
  path: string;
  listGpus(): Promise<DetectedGpu[]>;
  cudaVersion(): Promise<string | null>;
  telemetry(): Promise<GpuTelemetry[]>;
}

/** nvidia-smi on PATH (or at `path`), or null when this machine has none. */
export function findNvidiaSmi(pathVar: string | undefined = process.env.PATH): NvidiaSmi | null {
  const file = findExecutable('nvidia-smi', pathVar);
  if (!file) return null;
  return {
    path: file,
    listGpus: async () => parseGpuList(await run(file, GPU_QUERY)),
    cudaVersion: async () => parseCudaVersion(await run(file, [])),
    telemetry: async () => parseTelemetry(await run(file, TELEMETRY_QUERY)),
  };
}
