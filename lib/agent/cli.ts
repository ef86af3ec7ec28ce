import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { selectBenchmarkEngine, type BenchmarkChoice } from '@/lib/agent/benchmark-python';
import { AgentApiError, AgentClient } from '@/lib/agent/client';
import { declaredTelemetry, findNvidiaSmi, type DetectedGpu } from '@/lib/agent/gpu-detect';
import {
  NodeSpecError,
  describeNode,
  loadSpecFile,
  nodeGpus,
  type AgentSpecFile,
  type HostFacts,
} from '@/lib/agent/node-spec';
import { createDockerRunner } from '@/lib/agent/runners/docker';
import { createProcessRunner } from '@/lib/agent/runners/process';
import { createDiskLeaseData } from '@/lib/agent/lease-data';
import { AgentRuntime, NodeTokenRejectedError, type Runner } from '@/lib/agent/runtime';
import { AGENT_VERSION } from '@/lib/agent/version';
import { findExecutable } from '@/lib/agent/which';
import { GPU_MODEL_IDS, type GpuModelId } from '@/lib/market/gpu-models';
import { systemClock } from '@/lib/clock';

/**
 * `npm run agent -- --api <url> --token <registration token> [--spec file] [--runner docker|process]
 * [--state-dir dir]`: registers this machine once (the node token is kept in <state-dir>/node.json, mode 0600),
 * then heartbeats and runs the work it is given until stopped. Documented in docs/agent.md.
 */

export const USAGE = `Usage: node backfill-agent.mjs [options]   (from a checkout: npm run agent -- [options])

  --api <url>           marketplace URL, e.g. https://backfill.example.com (saved after registering)
  --token <token>       one-time registration token (first run only)
  --spec <file.json>    node description: region, price, and the GPUs when nvidia-smi is absent
  --runner <name>       docker (default: each job in its container) or process (runs the job's command
                        directly on this host, no isolation: your own jobs and testing only)
  --state-dir <dir>     where the node token and checkpoints live (default ~/.backfill-agent)
  --name <name>         node name (default: the spec file's, else the host name)
  --region <id>         region id, e.g. eu-west (overrides the spec file)
  --price <usd>         price per GPU-hour in USD, e.g. 1.25 (overrides the spec file)
  --gpus <model>:<n>    declare the GPUs of a machine without nvidia-smi, e.g. rtx-4090-24gb:2 (test boxes;
                        the marketplace's benchmark tells whether the declaration is true)
  --cuda <x.y>          the CUDA version to register when nvidia-smi cannot tell it, e.g. 12.4
  --benchmark <engine>  how the GPU proof is answered: auto (default: python3 with PyTorch or CuPy on CUDA,
                        else the Docker runner's pinned PyTorch image with --gpus all, else "unsupported":
                        the node is then listed as declared, unverified), none, or cpu (DEVELOPMENT ONLY:
                        computed in JavaScript and paced to the declared model; proves the protocol, not
                        the GPU, and takes development-size challenges only)
  --version             print the agent's version
  --help                show this help`;

/** A mistake in the command line; printed with the usage, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface AgentArgs {
  help: boolean;
  version: boolean;
  api?: string;
  token?: string;
  spec?: string;
  runner: 'docker' | 'process';
  benchmark: BenchmarkChoice;
  stateDir: string;
  name?: string;
  region?: string;
  priceUsd?: number;
  /** Declared GPUs (`--gpus model:count`), overriding the spec file's. */
  gpus?: { model: GpuModelId; count: number };
  /** Declared CUDA version (`--cuda 12.4`), overriding the spec file's. */
  cudaVersion?: string;
}

export function defaultStateDir(): string {
  return path.join(os.homedir(), '.backfill-agent');
}

/** Parses and checks the flags; throws UsageError naming the problem. */
export function parseAgentArgs(argv: string[]): AgentArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        api: { type: 'string' },
        token: { type: 'string' },
        spec: { type: 'string' },
        runner: { type: 'string' },
        'state-dir': { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        price: { type: 'string' },
        gpus: { type: 'string' },
        cuda: { type: 'string' },
        benchmark: { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const runner = values.runner ?? 'docker';
  if (runner !== 'docker' && runner !== 'process')
    throw new UsageError(`--runner must be "docker" or "process", not "${runner}"`);
  const benchmark = values.benchmark ?? 'auto';
  if (benchmark !== 'auto' && benchmark !== 'cpu' && benchmark !== 'none')
    throw new UsageError(`--benchmark must be "auto", "none" or "cpu", not "${benchmark}"`);
  if (values.api !== undefined) {
    let url: URL;
    try {
      url = new URL(values.api);
    } catch {
      throw new UsageError(`--api must be a URL such as https://backfill.example.com, not "${values.api}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--api must be an http:// or https:// URL, not "${values.api}"`);
  }
  if (values.token !== undefined && values.token.trim().length < 10)
    throw new UsageError('--token looks too short to be a registration token');
  let priceUsd: number | undefined;
  if (values.price !== undefined) {
    priceUsd = Number(values.price);
    if (!/^\d+(\.\d+)?$/.test(values.price) || !(priceUsd > 0))
      throw new UsageError(`--price must be a positive number of USD per GPU-hour, not "${values.price}"`);
  }
  const gpus = values.gpus === undefined ? undefined : parseGpusFlag(values.gpus);
  if (values.cuda !== undefined && !/^\d{1,2}\.\d{1,2}$/.test(values.cuda))
    throw new UsageError(`--cuda must look like 12.4, not "${values.cuda}"`);
  for (const flag of ['api', 'token', 'spec', 'state-dir', 'name', 'region'] as const)
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} is empty`);
  return {
    help: values.help ?? false,
    version: values.version ?? false,
    api: values.api,
    token: values.token?.trim(),
    spec: values.spec,
    runner,
    benchmark,
    stateDir: path.resolve(values['state-dir'] ?? defaultStateDir()),
    name: values.name,
    region: values.region,
    priceUsd,
    gpus,
    cudaVersion: values.cuda,
  };
}

/** `rtx-4090-24gb:2` → the model and count, or a UsageError naming what is wrong. */
function parseGpusFlag(text: string): { model: GpuModelId; count: number } {
  const match = /^([a-z0-9-]+):(\d{1,2})$/.exec(text.trim());
  const model = match?.[1];
  const count = Number(match?.[2]);
  if (!match || !model || !(GPU_MODEL_IDS as readonly string[]).includes(model))
    throw new UsageError(
      `--gpus must be <model>:<count> with a model id such as rtx-4090-24gb (see docs/gpu-reference.md), not "${text}"`,
    );
  if (!(count >= 1 && count <= 16)) throw new UsageError(`--gpus count must be 1 to 16, not "${match[2]}"`);
  return { model: model as GpuModelId, count };
}

/** What the agent keeps between runs: who it is and where it reports. */
export const nodeStateSchema = z.object({
  apiUrl: z.url(),
  nodeId: z.uuid(),
  nodeToken: z.string().min(1),
  registeredAt: z.string(),
});
export type NodeState = z.infer<typeof nodeStateSchema>;

export function nodeStatePath(stateDir: string): string {
  return path.join(stateDir, 'node.json');
}

export function readNodeState(stateDir: string): NodeState | null {
  const file = nodeStatePath(stateDir);
  if (!existsSync(file)) return null;
  const parsed = nodeStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new UsageError(
      `${file} is damaged (${parsed.error.issues[0]?.message}); delete it to register again`,
    );
  return parsed.data;
}

/** Written to a temporary file and renamed, readable by the owner only: it holds the node's secret. */
export function writeNodeState(stateDir: string, state: NodeState): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = nodeStatePath(stateDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

function hostFacts(stateDir: string): HostFacts {
  let diskGb = 1;
  try {
    const fs = statfsSync(stateDir);
    diskGb = Math.max(1, Math.floor((fs.bavail * fs.bsize) / 1e9));
  } catch {
    // Unknown: the spec file can say.
  }
  return {
    hostname: os.hostname(),
    cpuCores: os.availableParallelism(),
    ramGb: Math.max(1, Math.round(os.totalmem() / 2 ** 30)),
    diskGb,
  };
}

export interface AgentIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Signals that ask the agent to stop: the first drains, the second stops the workloads at once. */
  onStopSignal: (listener: () => void) => void;
}

const stamp = () => new Date().toISOString().slice(11, 19);

/** Runs the agent; resolves with the process exit status. */
export async function runAgent(argv: string[], io: AgentIo): Promise<number> {
  const say = (line: string) => io.out(`[agent ${stamp()}] ${line}`);
  let args: AgentArgs;
  try {
    args = parseAgentArgs(argv);
  } catch (error) {
    io.err(`agent: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.version) {
    io.out(AGENT_VERSION);
    return 0;
  }

  try {
    say(`Backfill agent ${AGENT_VERSION}`);
    mkdirSync(args.stateDir, { recursive: true, mode: 0o700 });
    const saved = readNodeState(args.stateDir);
    if (saved && args.api && new URL(args.api).toString() !== new URL(saved.apiUrl).toString())
      throw new UsageError(
        `this state directory belongs to node ${saved.nodeId} of ${saved.apiUrl}, not ${args.api}; use another ` +
          '--state-dir, or delete its node.json to register again',
      );
    if (!saved && !args.api) throw new UsageError('--api is required for the first run');
    if (!saved && !args.token)
      throw new UsageError(
        'this machine is not registered yet: give --token <registration token> (created on the Supplier page or ' +
          'with POST /api/v1/nodes/registration-tokens)',
      );

    // The runner first: a docker runner without docker is a setup problem to report before anything else.
    let runner: Runner;
    if (args.runner === 'docker') {
      if (!findExecutable('docker', io.env.PATH))
        throw new UsageError(
          'docker was not found on PATH. Install Docker and the NVIDIA Container Toolkit, or run with ' +
            '--runner process (job commands then run directly on this host, without isolation).',
        );
      runner = createDockerRunner({ stateDir: args.stateDir, hostEnv: io.env });
    } else {
      runner = createProcessRunner({ stateDir: args.stateDir, hostEnv: io.env });
    }

    // GPUs: detected, or declared in the spec file; without either the agent refuses to start.
    const fromFile: AgentSpecFile | null = args.spec ? loadSpecFile(args.spec) : null;
    const fromFlags: Partial<AgentSpecFile> = {
      ...(args.gpus ? { gpus: args.gpus } : {}),
      ...(args.cudaVersion ? { cudaVersion: args.cudaVersion } : {}),
    };
    const spec: AgentSpecFile | null = Object.keys(fromFlags).length
      ? { ...fromFile, ...fromFlags }
      : fromFile;
    const nvidiaSmi = findNvidiaSmi(io.env.PATH);
    const detected: DetectedGpu[] | null = nvidiaSmi ? await nvidiaSmi.listGpus() : null;
    const host = hostFacts(args.stateDir);
    const { gpus, declared } = nodeGpus({ spec, detected, host });
    say(
      `${gpus.length}× ${gpus[0]?.model} ${declared ? `declared ${args.gpus ? 'by --gpus' : 'in the spec file'} (no nvidia-smi: telemetry is zero)` : `detected by ${nvidiaSmi?.path}`}`,
    );

    let state = saved;
    /** Registered by this run: the first heartbeat goes at once (someone is watching the node come online). */
    let justRegistered = false;
    const client = new AgentClient({
      apiUrl: saved?.apiUrl ?? args.api ?? '',
      userAgent: `backfill-agent/${AGENT_VERSION}`,
    });
    if (!state) {
      const description = describeNode({
        spec,
        detected,
        cudaVersion: nvidiaSmi ? await nvidiaSmi.cudaVersion() : null,
        host,
        overrides: { name: args.name, region: args.region, pricePerGpuHourUsd: args.priceUsd },
      });
      let registered;
      try {
        registered = await client.register({
          ...description.registration,
          registrationToken: args.token ?? '',
          agentVersion: AGENT_VERSION,
        });
      } catch (error) {
        if (error instanceof AgentApiError)
          throw new UsageError(
            `registration was refused (${error.status} ${error.code}): ${error.message}` +
              (error.status === 401 || error.status === 404 || error.status === 409
                ? ' — registration tokens are single-use and expire; create a new one'
                : ''),
          );
        throw error;
      }
      state = {
        apiUrl: client.apiUrl,
        nodeId: registered.nodeId,
        nodeToken: registered.nodeToken,
        registeredAt: new Date().toISOString(),
      };
      writeNodeState(args.stateDir, state);
      justRegistered = true;
      say(
        `registered as node ${state.nodeId} ("${description.registration.name}"); the node token is saved in ` +
          `${nodeStatePath(args.stateDir)} (keep it secret)`,
      );
    } else {
      if (args.token)
        say(`already registered as node ${state.nodeId}; --token is not needed and was ignored`);
      say(`node ${state.nodeId} at ${state.apiUrl}`);
    }

    const proofEngine = await selectBenchmarkEngine({
      choice: args.benchmark,
      runner: args.runner,
      path: io.env.PATH,
    });
    say(`benchmark: ${proofEngine.description}`);
    const runtime = new AgentRuntime({
      client,
      nodeToken: state.nodeToken,
      runner,
      data: createDiskLeaseData({ stateDir: args.stateDir, client, nodeToken: state.nodeToken }),
      clock: systemClock,
      agentVersion: AGENT_VERSION,
      log: say,
      benchmark: proofEngine.engine,
      telemetry: nvidiaSmi
        ? () =>
            nvidiaSmi.telemetry().catch((error: unknown) => {
              say(`telemetry: ${(error as Error).message}`);
              return [];
            })
        : () => declaredTelemetry(gpus),
    });

    const stop = new AbortController();
    let signals = 0;
    io.onStopSignal(() => {
      signals += 1;
      if (signals === 1) {
        const running = runtime.snapshot().length;
        say(
          running > 0
            ? `draining: finishing ${running} running attempt(s), taking no new work; stop again to abort them`
            : 'stopping',
        );
        runtime.drain();
        if (running === 0) stop.abort();
      } else {
        say('stopping now: running workloads are stopped and will be failed over by the marketplace');
        stop.abort();
      }
    });
    say(`heartbeating with the ${runner.name} runner (Ctrl-C drains, twice stops)`);
    try {
      // A restarted agent waits a random part of an interval first, so a fleet restarted at once spreads out.
      await runtime.run(
        stop.signal,
        (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
        { firstHeartbeat: justRegistered ? 'now' : 'spread' },
      );
    } finally {
      await runtime.stopAll();
    }
    say('stopped');
    return 0;
  } catch (error) {
    if (error instanceof NodeTokenRejectedError) {
      io.err(
        `agent: the marketplace refused this node's token (401: ${error.apiError.message}). The node was ` +
          `removed or its token replaced. To register again, delete ${nodeStatePath(args.stateDir)} and run ` +
          'with a new --token.',
      );
      return 1;
    }
    if (error instanceof UsageError || error instanceof NodeSpecError) {
      io.err(`agent: ${error.message}`);
      return 2;
    }
    io.err(`agent: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
