import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ApiError,
  BackfillClient,
  type JobDetail,
  type JobListQuery,
  type JobSpecFile,
  type OfferQuery,
  TERMINAL_JOB_STATES,
} from './client';
import { configPath, DEFAULT_API_URL, type Env, readConfig, resolveCredentials, writeConfig } from './config';
import { describeEvent, formatUsdc, table } from './format';

/** Where the CLI reads and writes: the process's own streams and environment, or a test's. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  readLine: () => Promise<string>;
  env: Env;
}

type Options = NonNullable<ParseArgsConfig['options']>;
interface Verb {
  args: string[];
  options?: Options;
  summary: string;
  run: (ctx: Context) => Promise<number | void>;
}
interface Context {
  io: CliIo;
  args: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The client with the resolved URL and key; `public` verbs may go without a key. */
  client: (access?: 'public') => BackfillClient;
}

const COMMON: Options = {
  'api-url': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const VERBS: Record<string, Verb> = {
  login: {
    args: [],
    options: { key: { type: 'string' } },
    summary: 'save an API key (from --key, $BACKFILL_API_KEY or stdin) after checking it',
    run: login,
  },
  logout: { args: [], summary: 'forget the saved API key', run: logout },
  offers: {
    args: [],
    options: {
      gpu: { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      'min-gpus': { type: 'string' },
      'max-price': { type: 'string' },
      'min-cpu-cores': { type: 'string' },
      'min-ram': { type: 'string' },
      'min-disk': { type: 'string' },
      'min-cuda': { type: 'string' },
      verified: { type: 'boolean' },
      sort: { type: 'string' },
      limit: { type: 'string' },
    },
    summary: 'GPUs for rent now (--gpu h100-80gb --max-price 2.5 --verified --sort price_per_work)',
    run: offers,
  },
  quote: { args: ['SPEC'], summary: 'what a job spec would cost and where it would run', run: quote },
  launch: {
    args: ['SPEC'],
    options: { watch: { type: 'boolean' }, 'idempotency-key': { type: 'string' } },
    summary: 'upload the spec’s local inputs and launch it (--watch to follow it)',
    run: launch,
  },
  jobs: {
    args: [],
    options: { state: { type: 'string' }, limit: { type: 'string' } },
    summary: 'your jobs, newest first',
    run: jobs,
  },
  job: { args: ['ID'], summary: 'one job’s state, progress and charges', run: showJob },
  watch: { args: ['ID'], summary: 'follow a job live until it ends (exit 0 when it succeeded)', run: watch },
  logs: { args: ['ID'], summary: 'a job’s log', run: logs },
  outputs: {
    args: ['ID'],
    options: { download: { type: 'string' } },
    summary: 'a job’s outputs; --download DIR fetches and verifies them',
    run: outputs,
  },
  cancel: { args: ['ID'], summary: 'stop a job; you pay for the work done', run: cancel },
};

function usage(): string {
  const width = Math.max(...Object.entries(VERBS).map(([name, v]) => `${name} ${v.args.join(' ')}`.length));
  return [
    'Usage: backfill <command> [options]',
    '',
    ...Object.entries(VERBS).map(
      ([name, verb]) => `  ${`${name} ${verb.args.join(' ')}`.padEnd(width)}  ${verb.summary}`,
    ),
    '',
    'Options: --api-url URL (else $BACKFILL_API_URL, the saved one, or http://localhost:3000), --json',
    'The key: $BACKFILL_API_KEY, else the one `backfill login` saved (in $BACKFILL_CONFIG or',
    '~/.config/backfill/config.json). A spec file is a JobSpec as JSON; an input may be {"path": "…"}, a',
    'local file uploaded first.',
  ].join('\n');
}

class UsageError extends Error {}

/** Runs one command line; answers the exit code (0 done, 1 refused or failed, 2 wrong usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const verb = VERBS[name];
  try {
    if (!verb) throw new UsageError(`unknown command "${name}"`);
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON, ...verb.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(`Usage: backfill ${name} ${verb.args.join(' ')}\n  ${verb.summary}`);
      return 0;
    }
    if (positionals.length !== verb.args.length)
      throw new UsageError(`${name} takes ${verb.args.join(' ') || 'no arguments'}`);
    const file = configPath(io.env);
    const credentials = resolveCredentials(
      { apiUrl: values['api-url'] as string | undefined },
      io.env,
      readConfig(file),
    );
    const client = (access?: 'public') => {
      if (!credentials.apiKey && access !== 'public')
        throw new Error('no API key: run `backfill login` (or set BACKFILL_API_KEY)');
      return new BackfillClient({ apiUrl: credentials.apiUrl, apiKey: credentials.apiKey });
    };
    const code = await verb.run({ io, args: positionals, values, client });
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`backfill: ${(error as Error).message}\n\n${usage()}`);
      return 2;
    }
    const hint =
      error instanceof ApiError && error.status === 401 ? ' (is the key revoked? run backfill login)' : '';
    io.err(`backfill: ${error instanceof Error ? error.message : String(error)}${hint}`);
    return 1;
  }
}

async function login({ io, values }: Context): Promise<void> {
  const file = configPath(io.env);
  const saved = readConfig(file);
  const url =
    (values['api-url'] as string | undefined) || io.env.BACKFILL_API_URL || saved.apiUrl || DEFAULT_API_URL;
  const apiKey = (
    (values.key as string | undefined) ||
    io.env.BACKFILL_API_KEY ||
    (await io.readLine())
  ).trim();
  if (!apiKey) throw new UsageError('login needs a key: --key, $BACKFILL_API_KEY or one line on stdin');
  let account: { address: string } | null = null;
  try {
    account = (await new BackfillClient({ apiUrl: url, apiKey }).session()).account;
  } catch (error) {
    throw new Error(`that key was refused: ${(error as Error).message}`);
  }
  if (!account) throw new Error('that key was refused: it is unknown or revoked');
  writeConfig(file, { apiUrl: url, apiKey });
  io.out(`Signed in to ${url} as ${account.address}`);
}

async function logout({ io }: Context): Promise<void> {
  const file = configPath(io.env);
  const { apiUrl } = readConfig(file);
  writeConfig(file, apiUrl ? { apiUrl } : {});
  io.out('Signed out.');
}

async function offers({ io, values, client }: Context): Promise<void> {
  const query = {
    ...(values.gpu ? { gpu: values.gpu } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values['min-gpus'] ? { minGpus: integer(values['min-gpus'], '--min-gpus') } : {}),
    ...(values['max-price'] ? { maxPrice: values['max-price'] } : {}),
    ...(values['min-cpu-cores'] ? { minCpuCores: integer(values['min-cpu-cores'], '--min-cpu-cores') } : {}),
    ...(values['min-ram'] ? { minRam: integer(values['min-ram'], '--min-ram') } : {}),
    ...(values['min-disk'] ? { minDisk: integer(values['min-disk'], '--min-disk') } : {}),
    ...(values['min-cuda'] ? { minCuda: values['min-cuda'] } : {}),
    ...(values.verified ? { verified: 'true' } : {}),
    ...(values.sort ? { sort: values.sort } : {}),
    ...(values.limit ? { limit: integer(values.limit, '--limit') } : {}),
  } as OfferQuery;
  const page = await client('public').offers(query);
  if (values.json) return io.out(JSON.stringify(page, null, 2));
  if (!page.data.length) return io.out('No offers match.');
  io.out(
    table(
      ['NODE', 'GPU', 'FREE', 'REGION', 'PRICE/GPU-H', 'UPTIME', 'VERIFIED'],
      page.data.map((o) => [
        o.nodeId.slice(0, 8),
        o.gpuModel,
        `${o.freeGpus}/${o.gpuCount}`,
        o.region,
        formatUsdc(o.priceMicros),
        `${(o.reliability * 100).toFixed(1)}%`,
        o.verified ? 'yes' : 'no',
      ]),
    ),
  );
}

async function readSpec(file: string): Promise<{ spec: JobSpecFile; dir: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the spec ${file}: ${(error as Error).message}`);
  }
  try {
    return { spec: JSON.parse(text) as JobSpecFile, dir: path.dirname(path.resolve(file)) };
  } catch (error) {
    throw new Error(`the spec ${file} is not JSON: ${(error as Error).message}`);
  }
}

async function quote({ io, args, values, client }: Context): Promise<void> {
  const { spec } = await readSpec(args[0] as string);
  // A quote does not depend on the inputs, so local files are not uploaded for it.
  const { inputs: _localInputs, ...rest } = spec;
  const answer = await client('public').quote(rest);
  if (values.json) return io.out(JSON.stringify(answer, null, 2));
  const { estimate } = answer;
  io.out(`${answer.matchingOffers} matching offer(s) now.`);
  if (!estimate) return;
  const hours = (h: number) => (h < 1 ? `${Math.round(h * 60)} min` : `${h.toFixed(1)} h`);
  io.out(
    `Estimate: ${hours(estimate.hoursMin)} to ${hours(estimate.hoursMax)}, ` +
      `${formatUsdc(estimate.costMinMicros)} to ${formatUsdc(estimate.costMaxMicros)}`,
  );
  io.out(
    table(
      ['NODE', 'GPU', 'REGION', 'PRICE/GPU-H', 'HOURS', 'EXPECTED COST', 'VERIFIED'],
      answer.options.map((o) => [
        o.nodeId.slice(0, 8),
        o.gpuModel,
        o.region,
        formatUsdc(o.priceMicros),
        o.estimatedHours.toFixed(2),
        formatUsdc(o.estimatedCostMicros),
        o.verified ? 'yes' : 'no',
      ]),
    ),
  );
}

async function launch(ctx: Context): Promise<number | void> {
  const { io, args, values } = ctx;
  const { spec, dir } = await readSpec(args[0] as string);
  const api = ctx.client();
  const job = await api.launch(
    await api.resolveSpec(spec, dir),
    values['idempotency-key'] as string | undefined,
  );
  if (values.json && !values.watch) return io.out(JSON.stringify(job, null, 2));
  io.out(`Launched job ${job.id} (${job.name}): ${job.state}`);
  if (values.watch) return watch({ ...ctx, args: [job.id] });
}

async function jobs({ io, values, client }: Context): Promise<void> {
  const query = {
    ...(values.state ? { state: values.state } : {}),
    ...(values.limit ? { limit: integer(values.limit, '--limit') } : {}),
  } as JobListQuery;
  const page = await client().jobs(query);
  if (values.json) return io.out(JSON.stringify(page, null, 2));
  if (!page.items.length) return io.out('No jobs yet.');
  io.out(
    table(
      ['ID', 'NAME', 'STATE', 'PROGRESS', 'CHARGED'],
      page.items.map((j) => [
        j.id,
        j.name,
        j.state,
        `${Math.floor(j.progress * 100)}%`,
        formatUsdc(j.chargedMicros),
      ]),
    ),
  );
}

function describeJob(job: JobDetail): string {
  const attempt = job.currentAttempt ?? job.attempts.at(-1);
  const rows: [string, string][] = [
    ['Job', `${job.id}  ${job.name}`],
    ['State', `${job.state}${job.stateReason ? ` (${job.stateReason})` : ''}`],
    ['Progress', `${Math.floor(job.progress * 100)}% (${job.progressUnits} of ${job.workUnits} ${job.unit})`],
    ['Charged', `${formatUsdc(job.chargedMicros)} of a ${formatUsdc(job.budgetMicros)} budget`],
    [
      'Node',
      attempt
        ? `${attempt.nodeName} (${attempt.gpuModel}, ${attempt.region}) at ${formatUsdc(attempt.pricePerGpuHourMicros)}/GPU-hour`
        : 'not placed yet',
    ],
    ['Outputs', String(job.outputs.length)],
  ];
  return rows.map(([label, value]) => `${label.padEnd(9)} ${value}`).join('\n');
}

async function showJob({ io, args, values, client }: Context): Promise<void> {
  const job = await client().job(args[0] as string);
  io.out(values.json ? JSON.stringify(job, null, 2) : describeJob(job));
}

async function watch({ io, args, values, client }: Context): Promise<number> {
  const job = await client().watch(args[0] as string, (event) => {
    if (values.json) io.out(JSON.stringify(event));
    else for (const line of describeEvent(event)) io.out(line);
  });
  if (!values.json) io.out(`Job ${job.id} ${job.state}`);
  return job.state === 'succeeded' ? 0 : 1;
}

async function logs({ io, args, client }: Context): Promise<void> {
  io.out((await client().logs(args[0] as string)).replace(/\n$/, ''));
}

async function outputs({ io, args, values, client }: Context): Promise<void> {
  const api = client();
  const id = args[0] as string;
  if (values.download) {
    const written = await api.downloadOutputs(id, values.download as string);
    return io.out(`Downloaded ${written.length} file(s) to ${values.download as string}`);
  }
  const job = await api.job(id);
  if (values.json) return io.out(JSON.stringify(job.outputs, null, 2));
  if (!job.outputs.length)
    return io.out(
      TERMINAL_JOB_STATES.includes(job.state)
        ? 'This job wrote no outputs.'
        : `No outputs yet (${job.state}).`,
    );
  io.out(
    table(
      ['NAME', 'SIZE', 'SHA256'],
      job.outputs.map((o) => [o.name, String(o.sizeBytes), o.sha256]),
    ),
  );
}

async function cancel({ io, args, client }: Context): Promise<void> {
  const job = await client().cancel(args[0] as string);
  io.out(`Cancel requested for job ${job.id}: ${job.state}`);
}

function integer(value: unknown, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number above 0`);
  return n;
}
