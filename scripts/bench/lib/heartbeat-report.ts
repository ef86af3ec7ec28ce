import type { StepResult } from '@/scripts/bench/lib/heartbeat-load';
import { formatMs, textTable } from '@/scripts/bench/lib/stats';

/** The design notes' targets: per heartbeat, at most 1 ms of web CPU and 1 ms of database CPU. */
export const TARGET_CPU_MS = 1;
/** A fleet is sustained while its heartbeats' p95 stays under this… */
export const SUSTAINED_P95_MS = 250;
/** …the answered rate keeps up with the offered one… */
export const SUSTAINED_RATE_SHARE = 0.95;
/** …and almost every heartbeat is answered. */
export const SUSTAINED_FAILED_SHARE = 0.01;
/** The fleet the extrapolation is for. */
export const EXTRAPOLATED_NODES = 100_000;
/** How busy a web instance or a database core may run and still answer promptly. */
export const CORE_HEADROOM = 0.7;

export interface SetupResult {
  instances: 1 | 2;
  /** How the two instances shared the load: nginx, or the client taking them in turn. */
  balancer: 'none' | 'nginx' | 'client round-robin';
  /** Cores busy with no heartbeats at all (the worker's loops, idle processes). */
  idleCores: { web: number; postgres: number; worker: number };
  steps: StepResult[];
  /** The largest fleet sustained at the default interval, or 0. */
  sustainedNodes: number;
}

export function isSustained(step: StepResult): boolean {
  const sent = step.answered + step.failed;
  return (
    step.latency.p95 < SUSTAINED_P95_MS &&
    step.achievedPerSecond >= SUSTAINED_RATE_SHARE * step.offeredPerSecond &&
    step.failed <= SUSTAINED_FAILED_SHARE * sent
  );
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** One line per step: load, latency, CPU per heartbeat by process, what the trivial request saw. */
export function stepTable(steps: readonly StepResult[]): string {
  const header = [
    'nodes',
    'offered/s',
    'answered/s',
    'failed',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'web ms/hb',
    'PG ms/hb',
    'PG all',
    'worker ms/hb',
    'nginx ms/hb',
    'driver ms/hb',
    'live p99 ms',
    'live max ms',
    'cores busy',
    'other work',
    'sustained',
  ];
  const rows = steps.map((s) => [
    s.nodes.toLocaleString('en-US'),
    fixed(s.offeredPerSecond, 1),
    fixed(s.achievedPerSecond, 1),
    String(s.failed),
    formatMs(s.latency.p50),
    formatMs(s.latency.p95),
    formatMs(s.latency.p99),
    fixed(s.cpuMsPerHeartbeat.web),
    fixed(s.cpuMsPerHeartbeat.postgres),
    fixed(s.cpuMsPerHeartbeat.postgresTotal),
    fixed(s.cpuMsPerHeartbeat.worker),
    fixed(s.cpuMsPerHeartbeat.loadBalancer),
    fixed(s.cpuMsPerHeartbeat.driver + s.cpuMsPerHeartbeat.probe),
    formatMs(s.probe.latency.p99),
    formatMs(s.probe.latency.max),
    fixed(s.cores.machine),
    fixed(s.cores.other),
    isSustained(s) ? 'yes' : 'no',
  ]);
  return textTable(header, rows);
}

/** The step whose per-heartbeat CPU the verdicts and the extrapolation use: the busiest sustained one. */
export function referenceStep(setup: SetupResult): StepResult | undefined {
  return [...setup.steps].reverse().find(isSustained) ?? setup.steps[0];
}

export function summaryLines(setups: readonly SetupResult[]): string[] {
  const lines: string[] = [];
  for (const setup of setups) {
    const label = setup.instances === 1 ? 'one web instance' : `two web instances (${setup.balancer})`;
    lines.push(
      `${label}: largest fleet sustained at the default interval (p95 < ${SUSTAINED_P95_MS} ms, ` +
        `≥ ${SUSTAINED_RATE_SHARE * 100} % of the offered rate answered): ` +
        (setup.sustainedNodes ? setup.sustainedNodes.toLocaleString('en-US') : 'none of the sizes tried'),
    );
    const step = referenceStep(setup);
    if (!step) continue;
    for (const [name, value] of [
      ['web', step.cpuMsPerHeartbeat.web],
      ['database', step.cpuMsPerHeartbeat.postgres],
    ] as const)
      lines.push(
        `  ${value <= TARGET_CPU_MS ? 'MET ' : 'MISS'} ≤ ${TARGET_CPU_MS} ms of ${name} CPU per heartbeat: ` +
          `${fixed(value)} ms at ${step.nodes.toLocaleString('en-US')} nodes`,
      );
  }
  const one = setups.find((s) => s.instances === 1);
  const two = setups.find((s) => s.instances === 2);
  if (one && two && one.sustainedNodes > 0) {
    const ratio = two.sustainedNodes / (2 * one.sustainedNodes);
    lines.push(
      `two instances sustained ${two.sustainedNodes.toLocaleString('en-US')} nodes against twice one ` +
        `(${(2 * one.sustainedNodes).toLocaleString('en-US')}): ${fixed(ratio * 100, 0)} % ` +
        `(target: within 10 %; only a machine with cores to spare for the second instance can show it)`,
    );
  }
  return lines;
}

export interface Extrapolation {
  nodes: number;
  intervalSeconds: number;
  heartbeatsPerSecond: number;
  webCores: number;
  webInstances: number;
  databaseCores: number;
}

/** Cores for EXTRAPOLATED_NODES at the measured CPU per heartbeat, for idle (10 s) and busy (5 s) intervals. */
export function extrapolate(step: StepResult): Extrapolation[] {
  return [10, 5].map((intervalSeconds) => {
    const heartbeatsPerSecond = EXTRAPOLATED_NODES / intervalSeconds;
    const webCores = (heartbeatsPerSecond * step.cpuMsPerHeartbeat.web) / 1000;
    return {
      nodes: EXTRAPOLATED_NODES,
      intervalSeconds,
      heartbeatsPerSecond,
      webCores,
      // One instance is one event loop: about one core, run at most CORE_HEADROOM busy.
      webInstances: Math.ceil(webCores / CORE_HEADROOM),
      databaseCores: Math.ceil(
        (heartbeatsPerSecond * step.cpuMsPerHeartbeat.postgres) / 1000 / CORE_HEADROOM,
      ),
    };
  });
}

export function extrapolationLines(step: StepResult): string[] {
  return [
    `Extrapolation (not measured): ${EXTRAPOLATED_NODES.toLocaleString('en-US')} nodes at the CPU per ` +
      `heartbeat measured with ${step.nodes.toLocaleString('en-US')} nodes (web ${fixed(step.cpuMsPerHeartbeat.web)} ms, ` +
      `PostgreSQL ${fixed(step.cpuMsPerHeartbeat.postgres)} ms), cores run at most ${CORE_HEADROOM * 100} % busy:`,
    ...extrapolate(step).map(
      (e) =>
        `  every ${e.intervalSeconds} s (${e.intervalSeconds === 10 ? 'idle nodes' : 'busy nodes, if their heartbeats cost the same'}): ` +
        `${e.heartbeatsPerSecond.toLocaleString('en-US')} heartbeats/s → ${fixed(e.webCores, 1)} web cores = ` +
        `${e.webInstances} web instances, ${e.databaseCores} database cores`,
    ),
  ];
}
