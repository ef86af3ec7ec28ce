/**
 * `npm run bench:live` — how soon a job's state change reaches an open browser page over Server-Sent
 * Events, on the production build with the embedded stack (PGlite, the scheduler inside the server): a node
 * agent's heartbeats (and the checkpoints it uploads) change the job over HTTP while a headless Chromium page
 * listens with EventSource; each event's arrival in the page is compared with the moment the request that
 * wrote it was answered. Then the stream is closed, more changes are made, and it is resumed — with `?after=`
 * (EventSource) and with a `Last-Event-ID` header (a streaming fetch) — checking that no event is lost or
 * repeated.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { AgentUpload, AgentUploadAcknowledged } from '@/lib/agent/client';
import { issueRegistrationToken } from '@/lib/agent/register';
import type { HeartbeatRequestInput, HeartbeatResponse, LeaseReport } from '@/lib/agent/schemas';
import { createApiKey } from '@/lib/auth/api-keys';
import { createSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import { randomToken } from '@/lib/auth/tokens';
import { systemClock } from '@/lib/clock';
import { migrateDatabase, openDatabase } from '@/lib/db/client';
import { accounts, siweNonces } from '@/lib/db/schema';
import { LIVE_POLL_MS } from '@/lib/jobs/live';
import type { JobEventView, JobSpecInput } from '@/lib/jobs/schemas';
import { creditDeposit } from '@/lib/ledger/operations';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { LIVE_USAGE, parseLiveArgs, type LiveBenchOptions } from '@/scripts/bench/lib/live-args';
import { PAGE_SCRIPT, type FetchStreamResult, type PageEvent } from '@/scripts/bench/lib/live-page';
import { ensureBenchBuild, startNextServer, type MemoryReport } from '@/scripts/bench/lib/next-server';
import { machineInfo } from '@/scripts/bench/lib/report';
import { formatMiB, formatMs, summarize, textTable, type LatencySummary } from '@/scripts/bench/lib/stats';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';
import { CHROMIUM_FLAGS, chromiumPath } from '@/scripts/lib/chromium';

const root = process.cwd();
const RESULTS_FILE = path.join('bench-results', 'live.json');
/** The design notes' target: a job state change reaches an open page within 1 s (p95). */
const TARGET_P95_MS = 1_000;
const MICROS = 1_000_000n;
const PROGRESS_PER_CHANGE = 10;
/** How long to wait for the page to catch up with the database before calling an event lost. */
const CATCH_UP_MS = 10_000;
/** After a resumed stream has caught up, how long to keep listening for an event sent twice. */
const LINGER_MS = 1_000;

/** Wall-clock milliseconds with sub-millisecond resolution: the same measure the page takes. */
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:live -- ${argv.join(' ')}` : 'npm run bench:live';
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

interface Prepared {
  dataDir: string;
  apiKey: string;
  sessionToken: string;
  registrationToken: string;
}

/**
 * Everything the run needs that only the database can give, written before the server starts because PGlite
 * allows one process per directory: a funded customer with an API key and a signed-in session, and a
 * supplier's one-time registration token for the node.
 */
async function prepareDatabase(cleanup: Cleanup): Promise<Prepared> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-live-'));
  cleanup.add('data directory', async () => rmSync(dataDir, { recursive: true, force: true }));
  const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  try {
    await migrateDatabase(handle);
    const { db } = handle;
    const now = systemClock.now();
    const wallet = () => `0x${randomBytes(20).toString('hex')}`;
    const [customer, supplier] = await db
      .insert(accounts)
      .values([
        { walletAddress: wallet(), displayName: 'live bench customer', createdAt: now },
        { walletAddress: wallet(), displayName: 'live bench supplier', createdAt: now },
      ])
      .returning({ id: accounts.id });
    if (!customer || !supplier) throw new Error('account insert returned nothing');
    await creditDeposit(db, systemClock, {
      customer: customer.id,
      amountMicros: 1_000n * MICROS,
      memo: 'live bench deposit',
    });
    const apiKey = await createApiKey(db, systemClock, customer.id, 'live bench');
    // A session as signing in leaves one: its nonce row (used), then the session the cookie names.
    const nonce = randomToken(16);
    await db.insert(siweNonces).values({
      nonce,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 10 * 60_000),
      usedAt: now,
    });
    const session = await createSession(db, systemClock, { accountId: customer.id, nonce, chainId: 31337 });
    const registration = await issueRegistrationToken(db, systemClock, supplier.id);
    return {
      dataDir,
      apiKey: apiKey.key,
      sessionToken: session.token,
      registrationToken: registration.registrationToken,
    };
  } finally {
    await handle.close();
  }
}

interface ApiAnswer<T> {
  status: number;
  body: T;
}

async function call<T>(
  baseUrl: string,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  options: { bearer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, {
    method,
    headers: {
      ...(options.bearer ? { Authorization: `Bearer ${options.bearer}` } : {}),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON; keep the text for the error message.
  }
  return { status: response.status, body: body as T };
}

function expectStatus<T>(answer: ApiAnswer<T>, status: number, what: string): T {
  if (answer.status !== status)
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  return answer.body;
}

/** The node agent, speaking the protocol over HTTP. */
class Agent {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async heartbeat(leases: LeaseReport[]): Promise<HeartbeatResponse> {
    const body: HeartbeatRequestInput = { status: 'online', telemetry: [], leases };
    return expectStatus(
      await call<HeartbeatResponse>(this.baseUrl, 'POST', '/api/v1/agent/heartbeat', {
        bearer: this.token,
        body,
      }),
      200,
      'POST /api/v1/agent/heartbeat',
    );
  }

  /**
   * Saves a checkpoint the way the agent does: asks where to upload it, PUTs the bytes to the signed URL, then
   * has the marketplace acknowledge them — the request that keeps it (and writes its events). Returns when
   * that acknowledgment was sent and answered.
   */
  async checkpoint(
    lease: { attemptId: string; fencingToken: number },
    units: number,
  ): Promise<{ sentAt: number; respondedAt: number }> {
    const bytes = Buffer.from(`live bench checkpoint at ${units} units\n`);
    const created = expectStatus(
      await call<AgentUpload>(this.baseUrl, 'POST', '/api/v1/agent/uploads', {
        bearer: this.token,
        body: {
          attemptId: lease.attemptId,
          fencingToken: lease.fencingToken,
          kind: 'checkpoint',
          name: `ckpt-${units}`,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          units,
        },
      }),
      201,
      'POST /api/v1/agent/uploads',
    );
    const put = await fetch(created.upload.url, {
      method: 'PUT',
      headers: { ...created.upload.headers, 'content-length': String(bytes.length) },
      body: bytes,
      signal: AbortSignal.timeout(30_000),
    });
    if (put.status !== 201)
      throw new Error(`PUT of the checkpoint answered ${put.status}: ${await put.text()}`);
    const sentAt = wallNow();
    const acknowledged = expectStatus(
      await call<AgentUploadAcknowledged>(
        this.baseUrl,
        'POST',
        `/api/v1/agent/uploads/${created.fileId}/complete`,
        {
          bearer: this.token,
          body: { fencingToken: lease.fencingToken },
        },
      ),
      200,
      'POST /api/v1/agent/uploads/:id/complete',
    );
    const respondedAt = wallNow();
    if (!acknowledged.kept) throw new Error(`the checkpoint at ${units} units was not kept`);
    return { sentAt, respondedAt };
  }
}

/** A request that changed the job: a heartbeat (progress), or a checkpoint's acknowledgment. */
interface HeartbeatRecord {
  change: number;
  phase: Phase;
  sentAt: number;
  respondedAt: number;
  kind: 'heartbeat' | 'checkpoint';
}

type Phase = 'live' | 'resume-after' | 'resume-header';

/**
 * Heartbeats that each change the job, paced at `rate` per second, every `checkpointEvery`-th followed by a
 * checkpoint uploaded and acknowledged; returns when the last is answered.
 */
async function driveChanges(
  agent: Agent,
  lease: { attemptId: string; fencingToken: number },
  range: { from: number; count: number },
  options: LiveBenchOptions,
  phase: Phase,
  records: HeartbeatRecord[],
): Promise<void> {
  const interval = 1000 / options.rate;
  const start = wallNow();
  for (let i = 0; i < range.count; i++) {
    await sleep(start + i * interval - wallNow());
    const change = range.from + i;
    const progressUnits = change * PROGRESS_PER_CHANGE;
    const checkpoint = change % options.checkpointEvery === 0;
    const report: LeaseReport = {
      attemptId: lease.attemptId,
      fencingToken: lease.fencingToken,
      state: 'running',
      progressUnits,
      logs: [],
    };
    const sentAt = wallNow();
    const reply = await agent.heartbeat([report]);
    const respondedAt = wallNow();
    if (reply.cancellations.length)
      throw new Error(`the server cancelled the lease: ${JSON.stringify(reply.cancellations)}`);
    records.push({ change, phase, sentAt, respondedAt, kind: 'heartbeat' });
    if (checkpoint)
      records.push({ change, phase, ...(await agent.checkpoint(lease, progressUnits)), kind: 'checkpoint' });
  }
}

/** The job's events in the database (through the API), after `after`. */
async function storedEvents(baseUrl: string, apiKey: string, jobId: string, after: number) {
  const page = expectStatus(
    await call<{ items: JobEventView[]; lastId: number }>(
      baseUrl,
      'GET',
      `/api/v1/jobs/${jobId}/events?after=${after}&limit=1000`,
      { bearer: apiKey },
    ),
    200,
    'GET /api/v1/jobs/:id/events',
  );
  return page.items;
}

interface StreamCheck {
  expected: number;
  received: number;
  missing: number[];
  repeated: number[];
  unexpected: number[];
  outOfOrder: number;
  ok: boolean;
}

/** Compares the ids a stream delivered with the ids stored: none missing, none twice, none extra, in order. */
function checkStream(expectedIds: readonly number[], receivedIds: readonly number[]): StreamCheck {
  const expected = new Set(expectedIds);
  const seen = new Set<number>();
  const repeated: number[] = [];
  const unexpected: number[] = [];
  let outOfOrder = 0;
  receivedIds.forEach((id, i) => {
    if (seen.has(id)) repeated.push(id);
    seen.add(id);
    if (!expected.has(id)) unexpected.push(id);
    if (i > 0 && id <= (receivedIds[i - 1] ?? 0)) outOfOrder++;
  });
  const missing = expectedIds.filter((id) => !seen.has(id));
  return {
    expected: expectedIds.length,
    received: receivedIds.length,
    missing,
    repeated,
    unexpected,
    outOfOrder,
    ok: missing.length === 0 && repeated.length === 0 && unexpected.length === 0 && outOfOrder === 0,
  };
}

interface Latency {
  id: number;
  type: string;
  change: number;
  ms: number;
}

/**
 * Pairs each received event with the request that wrote it — the heartbeat or checkpoint acknowledgment in
 * flight when the server stamped the event (`createdAt`, whole milliseconds) — and measures from its answer.
 */
function latencies(events: readonly PageEvent[], records: readonly HeartbeatRecord[]): Latency[] {
  const out: Latency[] = [];
  for (const event of events) {
    if (!event.createdAt) continue;
    const created = Date.parse(event.createdAt);
    const record = records.find((r) => created >= Math.floor(r.sentAt) - 1 && created <= r.respondedAt + 1);
    if (record)
      out.push({ id: event.id, type: event.type, change: record.change, ms: event.at - record.respondedAt });
  }
  return out;
}

interface LiveResult {
  setup: {
    buildMs: number;
    built: boolean;
    serverStartMs: number;
    launchToAssignmentMs: number;
    clockSkewMs: number;
    clockSkewUncertaintyMs: number;
  };
  changes: number;
  heartbeats: LatencySummary;
  latency: LatencySummary & { min: number };
  byType: Record<string, LatencySummary>;
  liveStream: StreamCheck;
  resumeAfter: StreamCheck & { lastId: number };
  resumeHeader: StreamCheck & { lastId: number; status: number; timedOut: boolean };
  eventSourceErrors: number;
  serverMemory: MemoryReport;
}

async function openPage(
  browser: Browser,
  baseUrl: string,
  sessionToken: string,
  onEvent: (event: PageEvent) => void,
): Promise<Page> {
  const context = await browser.newContext();
  // EventSource sends cookies only: the page is signed in the way a browser is, with the session cookie.
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: sessionToken,
      url: baseUrl,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  await context.exposeFunction('__benchEvent', onEvent);
  await context.addInitScript(PAGE_SCRIPT);
  const page = await context.newPage();
  // Any document of the origin will do; this one is static and runs no script of its own.
  const response = await page.goto(`${baseUrl}/api/v1/openapi.json`);
  if (!response?.ok()) throw new Error(`the page did not load: ${response?.status()}`);
  return page;
}

async function run(
  options: LiveBenchOptions,
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<LiveResult> {
  const build = await ensureBenchBuild(root, log);
  const prepared = await prepareDatabase(cleanup);
  log('• database prepared: a funded customer with an API key and a session, a registration token');

  const serverStarted = performance.now();
  const server = await startNextServer(
    root,
    {
      DATA_DIR: prepared.dataDir,
      EMBEDDED_WORKER: 'true',
      SCHEDULER_INTERVAL_MS: String(options.schedulerIntervalMs),
      DEMO_NETWORK: 'false',
      // No chain: the customer was funded in the database.
      CHAIN_RPC_URL: '',
    },
    '/api/v1/offers?limit=1',
  );
  const memory: MemoryReport[] = [];
  const stopServer = cleanup.add('next start', async () => memory.push(await server.stop()));
  const serverStartMs = performance.now() - serverStarted;
  const { baseUrl } = server;
  log(
    `• next start (pid ${server.pid}) answering on ${baseUrl} after ${(serverStartMs / 1000).toFixed(1)} s`,
  );

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_FLAGS,
  });
  cleanup.add('Chromium', () => browser.close());
  let phase: Phase = 'live';
  const received: (PageEvent & { phase: Phase })[] = [];
  const page = await openPage(browser, baseUrl, prepared.sessionToken, (event) =>
    received.push({ ...event, phase }),
  );
  // Both clocks are the machine's wall clock; measure how far apart the page's and ours read.
  const before = wallNow();
  const pageClock = await page.evaluate<number>('performance.timeOrigin + performance.now()');
  const after = wallNow();
  const clockSkewMs = pageClock - (before + after) / 2;
  log(
    `• Chromium page open; page clock − bench clock = ${clockSkewMs.toFixed(2)} ± ${((after - before) / 2).toFixed(2)} ms`,
  );

  const registered = expectStatus(
    await call<{ nodeId: string; nodeToken: string }>(baseUrl, 'POST', '/api/v1/agent/register', {
      body: {
        registrationToken: prepared.registrationToken,
        name: 'live-bench-node',
        region: 'eu-west',
        pricePerGpuHourMicros: '500000',
        gpus: [{ index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'GPU-live-bench-0' }],
        cpuCores: 16,
        ramGb: 64,
        diskGb: 1000,
        bandwidthMbps: 1000,
        cudaVersion: '12.4',
      },
    }),
    201,
    'POST /api/v1/agent/register',
  );
  const agent = new Agent(baseUrl, registered.nodeToken);
  await agent.heartbeat([]);

  const spec: JobSpecInput = {
    name: 'live bench job',
    template: 'custom',
    image: 'ubuntu:24.04',
    command: ['nvidia-smi'],
    workUnits: 100_000_000,
    budgetMicros: (50n * MICROS).toString(),
    requirements: { gpuCount: 1, nodeId: registered.nodeId },
  };
  const launchedAt = performance.now();
  const job = expectStatus(
    await call<{ id: string }>(baseUrl, 'POST', '/api/v1/jobs', {
      bearer: prepared.apiKey,
      body: spec,
      headers: { 'Idempotency-Key': `live-bench-${randomUUID()}` },
    }),
    201,
    'POST /api/v1/jobs',
  );
  let lease: { attemptId: string; fencingToken: number } | null = null;
  const deadline = Date.now() + 30_000;
  while (!lease) {
    if (Date.now() > deadline) throw new Error('the job was not assigned to the node within 30 s');
    const reply = await agent.heartbeat([]);
    const assignment = reply.assignments.find((a) => a.jobId === job.id);
    if (assignment) lease = { attemptId: assignment.attemptId, fencingToken: assignment.fencingToken };
    else await sleep(100);
  }
  const launchToAssignmentMs = performance.now() - launchedAt;
  log(
    `• node ${registered.nodeId} registered; job ${job.id} launched and assigned to it in ${formatMs(launchToAssignmentMs)} ms`,
  );

  const streamPath = `/api/v1/jobs/${job.id}/stream`;
  await page.evaluate(`window.__benchOpen(${JSON.stringify(streamPath)})`);
  await waitFor(
    () => received.some((e) => e.source === 'eventsource' && e.type === 'scheduled'),
    CATCH_UP_MS,
    'the stream to replay the job so far',
  );
  log(`• EventSource open in the page; driving ${options.changes} changes at ${options.rate} per second`);

  const records: HeartbeatRecord[] = [];
  await driveChanges(agent, lease, { from: 1, count: options.changes }, options, 'live', records);
  const stored = await storedEvents(baseUrl, prepared.apiKey, job.id, 0);
  const lastStored = stored.at(-1)?.id ?? 0;
  const liveEvents = () => received.filter((e) => e.phase === 'live' && e.source === 'eventsource');
  await waitFor(
    () => liveEvents().some((e) => e.id >= lastStored),
    CATCH_UP_MS,
    `event ${lastStored} in the page`,
  );
  await sleep(LINGER_MS);
  const liveStream = checkStream(
    stored.map((e) => e.id),
    liveEvents().map((e) => e.id),
  );
  const measured = latencies(liveEvents(), records);
  log(
    `• ${measured.length} events from ${options.changes} heartbeats measured: p50 ${formatMs(summarize(measured.map((m) => m.ms)).p50)} ms, ` +
      `p95 ${formatMs(summarize(measured.map((m) => m.ms)).p95)} ms; stream ${liveStream.ok ? 'complete' : 'INCOMPLETE'}`,
  );

  // Resume 1: EventSource cannot send Last-Event-ID on a fresh connection, so the page passes ?after=.
  await page.evaluate('window.__benchClose()');
  const lastSeen = Math.max(...liveEvents().map((e) => e.id));
  phase = 'resume-after';
  await driveChanges(
    agent,
    lease,
    { from: options.changes + 1, count: options.reconnectChanges },
    options,
    phase,
    records,
  );
  const gap = await storedEvents(baseUrl, prepared.apiKey, job.id, lastSeen);
  const gapLast = gap.at(-1)?.id ?? lastSeen;
  await page.evaluate(`window.__benchOpen(${JSON.stringify(`${streamPath}?after=${lastSeen}`)})`);
  const resumedEvents = () =>
    received.filter((e) => e.phase === 'resume-after' && e.source === 'eventsource');
  await waitFor(
    () => resumedEvents().some((e) => e.id >= gapLast),
    CATCH_UP_MS,
    `the resumed stream to reach event ${gapLast}`,
  );
  await sleep(LINGER_MS);
  await page.evaluate('window.__benchClose()');
  const resumeAfter = {
    lastId: lastSeen,
    ...checkStream(
      gap.map((e) => e.id),
      resumedEvents().map((e) => e.id),
    ),
  };
  log(
    `• resumed with ?after=${lastSeen} after ${options.reconnectChanges} changes: ${resumeAfter.received} of ` +
      `${resumeAfter.expected} events, ${resumeAfter.missing.length} missing, ${resumeAfter.repeated.length} repeated`,
  );

  // Resume 2: the header path, as EventSource itself reconnects, with a streaming fetch that sets it.
  const lastSeenAgain = Math.max(lastSeen, ...resumedEvents().map((e) => e.id));
  phase = 'resume-header';
  await driveChanges(
    agent,
    lease,
    { from: options.changes + options.reconnectChanges + 1, count: options.reconnectChanges },
    options,
    phase,
    records,
  );
  const gap2 = await storedEvents(baseUrl, prepared.apiKey, job.id, lastSeenAgain);
  const gap2Last = gap2.at(-1)?.id ?? lastSeenAgain;
  const fetched = await page.evaluate<FetchStreamResult>(
    `window.__benchFetch(${JSON.stringify(streamPath)}, ${lastSeenAgain}, ${gap2Last}, ${CATCH_UP_MS})`,
  );
  const resumeHeader = {
    lastId: lastSeenAgain,
    status: fetched.status,
    timedOut: fetched.timedOut,
    ...checkStream(
      gap2.map((e) => e.id),
      fetched.events.map((e) => e.id),
    ),
  };
  log(
    `• resumed with Last-Event-ID: ${lastSeenAgain} after ${options.reconnectChanges} changes: ${resumeHeader.received} of ` +
      `${resumeHeader.expected} events, ${resumeHeader.missing.length} missing, ${resumeHeader.repeated.length} repeated`,
  );
  const eventSourceErrors = await page.evaluate<number>('window.__benchErrors');

  await stopServer();
  const serverMemory = memory[0];
  if (!serverMemory) throw new Error('the server stopped without a memory report');

  const byType: Record<string, LatencySummary> = {};
  for (const type of [...new Set(measured.map((m) => m.type))])
    byType[type] = summarize(measured.filter((m) => m.type === type).map((m) => m.ms));
  const latency = summarize(measured.map((m) => m.ms));
  return {
    setup: {
      buildMs: build.ms,
      built: build.built,
      serverStartMs,
      launchToAssignmentMs,
      clockSkewMs,
      clockSkewUncertaintyMs: (after - before) / 2,
    },
    changes: options.changes,
    heartbeats: summarize(records.filter((r) => r.kind === 'heartbeat').map((r) => r.respondedAt - r.sentAt)),
    latency: { ...latency, min: Math.min(...measured.map((m) => m.ms)) },
    byType,
    liveStream,
    resumeAfter,
    resumeHeader,
    eventSourceErrors,
    serverMemory,
  };
}

function describeCheck(check: StreamCheck): string {
  const list = (ids: number[]) =>
    ids.length ? ids.slice(0, 10).join(', ') + (ids.length > 10 ? ', …' : '') : 'none';
  return (
    `${check.received} of ${check.expected} events; missing ${list(check.missing)}; repeated ${list(check.repeated)}; ` +
    `unexpected ${list(check.unexpected)}; out of order ${check.outOfOrder}`
  );
}

async function benchmark(
  options: LiveBenchOptions,
  argv: readonly string[],
  cleanup: Cleanup,
): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  const command = reproduceCommand(argv);
  console.log(`Live updates benchmark — ${command}`);
  console.log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${machine.os}; load average at start ${machine.loadAverageAtStart}`,
  );
  const result = await run(options, cleanup, console.log);

  console.log(
    `\nJob state change → open page over SSE (PGlite, embedded worker, server polls events every ${LIVE_POLL_MS} ms)`,
  );
  const header = ['events', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const rows = [
    ['all changes', result.latency],
    ...Object.entries(result.byType).map(([type, s]) => [type, s] as const),
  ].map(([label, s]) => {
    const summary = s as LatencySummary;
    return [
      String(label),
      String(summary.count),
      formatMs(summary.p50),
      formatMs(summary.p95),
      formatMs(summary.p99),
      formatMs(summary.max),
    ];
  });
  console.log(textTable(header, rows));
  console.log(
    `Latency: the page's receipt of the event minus the moment the heartbeat that wrote it was answered ` +
      `(minimum ${formatMs(result.latency.min)} ms; negative means the event beat the HTTP answer). ` +
      `Heartbeat round trip p50 ${formatMs(result.heartbeats.p50)} ms, p95 ${formatMs(result.heartbeats.p95)} ms. ` +
      `Launch → assigned ${formatMs(result.setup.launchToAssignmentMs)} ms.`,
  );
  console.log(`\nLive stream: ${describeCheck(result.liveStream)}`);
  console.log(
    `Resumed with ?after=${result.resumeAfter.lastId} (EventSource): ${describeCheck(result.resumeAfter)}`,
  );
  console.log(
    `Resumed with Last-Event-ID: ${result.resumeHeader.lastId} (streaming fetch, HTTP ${result.resumeHeader.status}): ` +
      describeCheck(result.resumeHeader),
  );
  console.log(
    `\nServer peak RSS: ${formatMiB(result.serverMemory.peakTreeRssBytes)} (process tree, sampled), ` +
      `${formatMiB(result.serverMemory.serverHwmBytes)} (VmHWM of next start); PGlite and the worker run inside it.`,
  );
  const loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(
    `Load average (1 min): ${machine.loadAverageAtStart} at start, ${loadAverageAtEnd} at end (on ${machine.cpus} CPUs)`,
  );

  const checks = [
    {
      label: `a job state change reaches an open page within ${TARGET_P95_MS} ms (p95)`,
      met: result.latency.count > 0 && result.latency.p95 <= TARGET_P95_MS,
      detail: `p95 ${formatMs(result.latency.p95)} ms over ${result.latency.count} changes (max ${formatMs(result.latency.max)} ms)`,
    },
    {
      label: 'the live stream delivers every event once, in order',
      met: result.liveStream.ok,
      detail: describeCheck(result.liveStream),
    },
    {
      label: 'a reconnect with ?after= loses no event and repeats none',
      met: result.resumeAfter.ok,
      detail: describeCheck(result.resumeAfter),
    },
    {
      label: 'a reconnect with Last-Event-ID loses no event and repeats none',
      met: result.resumeHeader.ok && result.resumeHeader.status === 200,
      detail: describeCheck(result.resumeHeader),
    },
  ];
  console.log('\nTargets:');
  for (const check of checks)
    console.log(`  ${check.met ? 'met    ' : 'NOT MET'}  ${check.label}: ${check.detail}`);

  writeResults(
    RESULTS_FILE,
    {
      benchmark: 'live',
      date: new Date().toISOString(),
      command,
      machine: { ...machine, loadAverageAtEnd },
      options,
      target: { p95Ms: TARGET_P95_MS },
      livePollMs: LIVE_POLL_MS,
      result,
      checks,
    },
    started,
    command,
  );
}

runBenchmark(parseLiveArgs, LIVE_USAGE, benchmark);
