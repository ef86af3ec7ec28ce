import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { PrivateKeyAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { provideServiceContext } from '@/lib/api/context';
import { createApiKey } from '@/lib/auth/api-keys';
import { createSession, resolveSession } from '@/lib/auth/sessions';
import { issueNonce } from '@/lib/auth/siwe';
import { issueRegistrationToken } from '@/lib/agent/register';
import { ManualClock } from '@/lib/clock';
import type { Engine } from '@/lib/db/client';
import { apiKeys, jobAttempts, jobs, storedFiles } from '@/lib/db/schema';
import { filesConfig } from '@/lib/files/config';
import { completeInputFile, createInputFile, storageKeyFor } from '@/lib/files/files';
import { createLeaseUpload } from '@/lib/files/lease-files';
import { scheduleQueuedJobs } from '@/lib/scheduler/schedule';
import { cancelJob } from '@/lib/jobs/cancel';
import { balanceOf, captureHold, creditDeposit, getBalances, placeHold } from '@/lib/ledger/operations';
import { discoverApiRoutes, type RouteHandler } from '@/lib/testing/api-routes';
// Renamed on import: the harness's `use…` name is not a React hook, but the hooks lint rule reads it as one.
import {
  TEST_ORIGIN,
  call,
  signInThroughApi,
  useTestServices as provideTestServices,
} from '@/lib/testing/api-harness';
import {
  createCustomer,
  createNode,
  launch,
  TEST_ORCHESTRATION,
  testSpec,
  USDC,
} from '@/lib/testing/orchestration-fixture';
import { startTestChain } from '@/lib/testing/test-chain';
import { createTestDb } from '@/lib/testing/test-db';
import { createSnapshotter, type Snapshot } from '@/lib/api/fuzz/database-snapshot';
import { operationLabel, type FuzzOperation } from '@/lib/api/fuzz/operations';
import type { SchemaResolver } from '@/lib/api/fuzz/schema-check';

/**
 * The world every fuzzed request runs in: one database per engine, a real local chain (so deposits, payouts
 * and the RPC proxy reach it), a signed-in supplier-and-customer with an API key, money, a deposit, a payout,
 * jobs, stored files (a ready input, one to delete, one to complete) and a node of its own that holds a lease
 * (for the agent's uploads), all in a real embedded blob store. Baselines are the valid requests the recipes
 * make hostile.
 */

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface FuzzWorld {
  /** Route handlers by `METHOD /api/v1/path/{param}`. */
  handlers: Map<string, RouteHandler>;
  /** The account's API key (bearer) and its node's token (bearer for the heartbeat). */
  apiKey: string;
  node: { id: string; token: string };
  /** The valid value of each operation's path parameter: an owned resource, or a documented enum value. */
  validTarget(op: FuzzOperation): string;
  /** A valid JSON body for the operation, fresh where a body is single-use; null when none is known. */
  baseline(op: FuzzOperation): Promise<unknown>;
  /** The session cookie to send: a throwaway one for sign-out, so the fuzz never logs itself out. */
  sessionFor(op: FuzzOperation): Promise<string>;
  freshIdempotencyKey(): string;
  snapshot(): Promise<Snapshot>;
  /** The stored status of the fuzzing account's Idempotency-Key (undefined: none stored). */
  idempotencyStatus(key: string): Promise<number | null | undefined>;
  /** Before each request: rate-limit windows emptied, single-use fixtures (a revocable key) replaced. */
  prepare(op: FuzzOperation): Promise<void>;
  close(): Promise<void>;
}

export async function createFuzzWorld(engine: Engine, resolve: SchemaResolver): Promise<FuzzWorld> {
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  const [handle, chain, routes] = await Promise.all([
    createTestDb(engine),
    startTestChain({ confirmations: 1 }),
    discoverApiRoutes(),
  ]);
  const { db } = handle;
  const services = provideTestServices({ db, clock, chain: chain.config, chainClient: chain.client });
  const handlers = new Map(routes.map((r) => [operationLabel(r), r.handler]));
  const handler = (label: string) => {
    const found = handlers.get(label);
    if (!found) throw new Error(`no route module for ${label}`);
    return found;
  };

  // A supplier who is also a customer: a real on-chain deposit, spare balance for launches, payable
  // earnings for payouts, an API key, a node, a job that ended (it has a receipt) and one still queued.
  const wallet = await chain.fundedWallet(500_000_000n);
  const signIn = { nonce: handler('POST /api/v1/auth/nonce'), verify: handler('POST /api/v1/auth/verify') };
  const alice = await signInThroughApi(signIn, wallet, chain.config.chainId);
  const receipt = await chain.transfer(wallet, chain.config.treasuryAddress, 100_000_000n);
  const depositAnswer = await call(handler('POST /api/v1/deposits'), '/api/v1/deposits', {
    method: 'POST',
    session: alice.token,
    body: { chainId: chain.config.chainId, txHash: receipt.transactionHash },
  });
  if (depositAnswer.status !== 200) throw new Error(`deposit failed: ${await depositAnswer.text()}`);
  const deposit = (await depositAnswer.json()) as { id: string };
  await creditDeposit(db, clock, {
    customer: alice.accountId,
    amountMicros: 100_000n * USDC,
    memo: 'fuzz funds',
  });
  const customer = await createCustomer(db, clock, 100_000n);
  const earn = async () => {
    await placeHold(db, clock, { customer, amountMicros: 50n * USDC, memo: 'fuzz job' });
    await captureHold(db, clock, {
      customer,
      supplier: alice.accountId,
      supplierMicros: 40n * USDC,
      feeMicros: 10n * USDC,
      memo: 'fuzz earnings',
    });
  };
  await earn();
  const payoutAnswer = await call(handler('POST /api/v1/payouts'), '/api/v1/payouts', {
    method: 'POST',
    session: alice.token,
    body: { amountMicros: String(USDC) },
    headers: { 'idempotency-key': 'fuzz-setup-payout' },
  });
  if (payoutAnswer.status !== 201) throw new Error(`payout failed: ${await payoutAnswer.text()}`);
  const payout = (await payoutAnswer.json()) as { id: string };
  const withdrawalAnswer = await call(handler('POST /api/v1/withdrawals'), '/api/v1/withdrawals', {
    method: 'POST',
    session: alice.token,
    body: { amountMicros: String(USDC) },
    headers: { 'idempotency-key': 'fuzz-setup-withdrawal' },
  });
  if (withdrawalAnswer.status !== 201) throw new Error(`withdrawal failed: ${await withdrawalAnswer.text()}`);
  const withdrawal = (await withdrawalAnswer.json()) as { id: string };
  const ended = await launch(db, clock, alice.accountId);
  await cancelJob(db, clock, alice.accountId, ended.id);
  let cancellable = (await launch(db, clock, alice.accountId)).id;
  const node = await createNode(db, clock, { owner: alice.accountId, priceMicros: 400_000n });
  const key = await createApiKey(db, clock, alice.accountId, 'fuzz');
  // Use the key once, so its last-used time is set before the first snapshot.
  await call(handler('GET /api/v1/balance'), '/api/v1/balance', { bearer: key.key });

  let revocableKey = (await createApiKey(db, clock, alice.accountId, 'fuzz revocable')).id;
  let logoutSession = '';
  let keyCounter = 0;

  // Stored files, through the same functions the routes use, into the context's real blob store.
  const store = services.storage;
  const files = filesConfig();
  const putBytes = (fileId: string, bytes: Buffer) =>
    store.put(storageKeyFor(alice.accountId, fileId), Readable.from([bytes]), {
      maxBytes: bytes.length,
      expectedSha256: sha256(bytes),
    });
  /** An input whose bytes are in the store: completed (ready) or left pending. */
  const inputFile = async (name: string, complete: boolean) => {
    const bytes = Buffer.from(`{"fuzz": "${name}", "nonce": "${randomBytes(4).toString('hex')}"}`);
    const { file } = await createInputFile(db, clock, store, files, null, alice.accountId, {
      name,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    });
    await putBytes(file.id, bytes);
    if (complete) await completeInputFile(db, clock, store, files, alice.accountId, file.id);
    return file.id;
  };
  const readyInput = await inputFile('scene.json', true);
  let deletableInput = await inputFile('delete-me.json', true);
  let completableInput = await inputFile('complete-me.json', false);

  /** An active lease on the world's node (a fuzzed heartbeat that leaves it out loses it; then a new one). */
  const heldLease = async () => {
    const active = () =>
      db
        .select({ id: jobAttempts.id, fencingToken: jobAttempts.fencingToken })
        .from(jobAttempts)
        .where(and(eq(jobAttempts.nodeId, node.id), inArray(jobAttempts.state, ['assigned', 'running'])))
        .limit(1);
    let [lease] = await active();
    if (!lease) {
      await scheduleQueuedJobs(db, clock, TEST_ORCHESTRATION);
      [lease] = await active();
    }
    if (!lease) {
      await launch(db, clock, alice.accountId, testSpec({ requirements: { nodeId: node.id } }));
      await scheduleQueuedJobs(db, clock, TEST_ORCHESTRATION);
      [lease] = await active();
    }
    if (!lease) throw new Error('the fuzz node could not be given a lease');
    return lease;
  };
  let checkpointUnits = 0;
  /** A checkpoint of the held lease, its bytes uploaded, waiting for the agent's acknowledgment. */
  const pendingCheckpoint = async () => {
    const lease = await heldLease();
    checkpointUnits += 1;
    const bytes = Buffer.from(`checkpoint at ${checkpointUnits}`);
    const { fileId } = await createLeaseUpload(db, clock, store, files, null, node, {
      attemptId: lease.id,
      fencingToken: lease.fencingToken,
      kind: 'checkpoint',
      name: `ckpt-${checkpointUnits}`,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      units: checkpointUnits,
    });
    await putBytes(fileId, bytes);
    return fileId;
  };
  let agentUpload = await pendingCheckpoint();

  const targets: Record<string, string> = {
    deposits: deposit.id,
    payouts: payout.id,
    withdrawals: withdrawal.id,
    jobs: ended.id,
    nodes: node.id,
    simulation: node.id,
    files: readyInput,
    // A month (the path parameter of a statement), the current one: it holds the world's postings.
    statements: clock.now().toISOString().slice(0, 7),
    // Keys need no escaping: the path parameter is sent percent-encoded, as a client would send it.
    storage: storageKeyFor(alice.accountId, readyInput),
  };

  const snapshots = await createSnapshotter(db);

  const freshSignIn = async (signer: PrivateKeyAccount) => {
    const { nonce, issuedAt, expiresAt } = await issueNonce(db, clock);
    const url = new URL(TEST_ORIGIN);
    const message = createSiweMessage({
      address: signer.address,
      chainId: chain.config.chainId,
      domain: url.host,
      uri: url.origin,
      nonce,
      version: '1',
      issuedAt,
      expirationTime: expiresAt,
    });
    return { message, signature: await signer.signMessage({ message }) };
  };

  const baselines: Record<string, () => unknown | Promise<unknown>> = {
    submitDeposit: () => ({
      chainId: chain.config.chainId,
      txHash: receipt.transactionHash,
      expectedAmountMicros: '100000000',
    }),
    requestPayout: () => ({ amountMicros: '100000' }),
    requestWithdrawal: () => ({ amountMicros: '100000' }),
    fundSimulatedCustomer: () => ({ amountMicros: '1000000' }),
    createApiKey: () => ({ name: 'fuzz key' }),
    updateAccountSettings: () => ({ lowBalanceThresholdMicros: '5000000' }),
    updateNodePrice: () => ({ pricePerGpuHourMicros: '450000' }),
    chainRpc: () => ({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    quoteJob: () =>
      testSpec({ requirements: { gpuModels: ['rtx-4090-24gb'], region: 'eu-west', nodeId: node.id } }),
    launchJob: () => testSpec({ budgetMicros: String(USDC), inputs: [{ fileId: readyInput }] }),
    createInputFile: () => ({
      name: 'frames/frame-0001.png',
      sizeBytes: 4,
      sha256: sha256(Buffer.from('fuzz')),
      contentType: 'image/png',
    }),
    agentCreateUpload: async () => {
      const lease = await heldLease();
      return {
        attemptId: lease.id,
        fencingToken: lease.fencingToken,
        kind: 'checkpoint',
        name: 'ckpt-fuzz',
        sizeBytes: 4,
        sha256: sha256(Buffer.from('fuzz')),
        units: 1,
      };
    },
    agentCompleteUpload: async () => ({ fencingToken: (await heldLease()).fencingToken }),
    signIn: () => freshSignIn(wallet),
    registerNode: async () => ({
      registrationToken: (await issueRegistrationToken(db, clock, alice.accountId)).registrationToken,
      name: 'fuzz node',
      region: 'eu-west',
      pricePerGpuHourMicros: '400000',
      gpus: [
        { index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: `GPU-${randomBytes(4).toString('hex')}` },
      ],
      cpuCores: 16,
      ramGb: 64,
      diskGb: 1000,
      bandwidthMbps: 1000,
      cudaVersion: '12.4',
      interconnect: 'pcie',
      agentVersion: '1.0.0',
    }),
    heartbeat: () => ({
      status: 'online',
      telemetry: [{ index: 0, utilizationPct: 50, memoryUsedMb: 1000, temperatureC: 60, powerW: 300 }],
      leases: [
        {
          attemptId: '00000000-0000-4000-8000-00000000a77e',
          fencingToken: 1,
          state: 'running',
          progressUnits: 1,
          logs: [{ at: clock.now().toISOString(), stream: 'stdout', text: 'hello' }],
          result: 'a'.repeat(64),
        },
      ],
      benchmark: {
        challengeId: '00000000-0000-4000-8000-0000000be4c4',
        phase: 'commit',
        root: 'b'.repeat(64),
      },
      agentVersion: '1.0.0',
    }),
  };

  return {
    handlers,
    apiKey: key.key,
    node: { id: node.id, token: node.token },
    validTarget(op) {
      const param = op.parameters.find((p) => p.in === 'path');
      const values = param ? resolve(param.schema).enum : undefined;
      if (Array.isArray(values) && typeof values[0] === 'string') return values[0];
      if (op.path === '/api/v1/api-keys/{id}') return revocableKey;
      if (op.path === '/api/v1/jobs/{id}/cancel') return cancellable;
      if (op.id === 'deleteFile') return deletableInput;
      if (op.id === 'completeInputFile') return completableInput;
      if (op.id === 'agentCompleteUpload') return agentUpload;
      // A well-formed day: the world exports none, so the documented 404 is the answer to check.
      if (op.id === 'getMetricsExport') return clock.now().toISOString().slice(0, 10);
      const resource = op.path.split('/')[3] ?? '';
      const id = targets[resource];
      if (!id) throw new Error(`no owned resource for ${operationLabel(op)}`);
      return id;
    },
    async baseline(op) {
      const make = baselines[op.id];
      if (make) return make();
      // An operation documenting an empty object takes {} as its valid body.
      const s = op.body && resolve(op.body);
      if (s && s.type === 'object' && Object.keys((s.properties ?? {}) as object).length === 0) return {};
      return null;
    },
    async sessionFor(op) {
      if (op.id !== 'signOut') return alice.token;
      if (!logoutSession || !(await resolveSession(db, clock, logoutSession))) {
        const { nonce } = await issueNonce(db, clock);
        logoutSession = (
          await createSession(db, clock, { accountId: alice.accountId, nonce, chainId: chain.config.chainId })
        ).token;
      }
      return logoutSession;
    },
    freshIdempotencyKey: () => `fuzz-${engine}-${++keyCounter}-${randomBytes(4).toString('hex')}`,
    snapshot: () => snapshots.snapshot(),
    idempotencyStatus: (idempotencyKey) => snapshots.idempotencyStatus(alice.accountId, idempotencyKey),
    async prepare(op) {
      await db.execute(sql`delete from rate_limit_buckets`);
      // Keep the account under its live-key limit, so created keys (and their names) reach the database.
      if (op.id === 'createApiKey')
        await db
          .update(apiKeys)
          .set({ revokedAt: clock.now() })
          .where(
            and(
              eq(apiKeys.accountId, alice.accountId),
              isNull(apiKeys.revokedAt),
              notInArray(apiKeys.id, [key.id, revocableKey]),
            ),
          );
      // Payable earnings for payouts and a live job to cancel, whatever earlier requests did with them.
      if (op.id === 'requestPayout') {
        const payable = balanceOf(await getBalances(db, alice.accountId), 'supplier_payable');
        if (payable < 10n * USDC) await earn();
      }
      // A withdrawal with no amount takes the whole available balance: fund again what launches need.
      if (op.id === 'requestWithdrawal' || op.id === 'launchJob') {
        const available = balanceOf(await getBalances(db, alice.accountId), 'customer_available');
        if (available < 1_000n * USDC)
          await creditDeposit(db, clock, {
            customer: alice.accountId,
            amountMicros: 100_000n * USDC,
            memo: 'fuzz funds',
          });
      }
      // Reservations accepted by earlier requests (up to 5 GiB each) must not fill the quota for good.
      if (
        ['createInputFile', 'agentCreateUpload', 'completeInputFile', 'agentCompleteUpload'].includes(op.id)
      )
        await db
          .delete(storedFiles)
          .where(
            and(
              eq(storedFiles.state, 'pending'),
              notInArray(storedFiles.id, [completableInput, agentUpload]),
            ),
          );
      // A file to delete, one to complete and an upload to acknowledge, whatever earlier requests did.
      if (op.id === 'deleteFile') {
        const [live] = await db
          .select({ id: storedFiles.id })
          .from(storedFiles)
          .where(eq(storedFiles.id, deletableInput));
        if (!live) deletableInput = await inputFile('delete-me.json', true);
      }
      if (op.id === 'completeInputFile') {
        const [row] = await db
          .select({ state: storedFiles.state })
          .from(storedFiles)
          .where(eq(storedFiles.id, completableInput));
        if (row?.state !== 'pending') completableInput = await inputFile('complete-me.json', false);
      }
      if (op.id === 'agentCompleteUpload') {
        const [row] = await db
          .select({ state: storedFiles.state, attemptId: storedFiles.attemptId })
          .from(storedFiles)
          .where(eq(storedFiles.id, agentUpload));
        const lease = await heldLease();
        if (row?.state !== 'pending' || row.attemptId !== lease.id) agentUpload = await pendingCheckpoint();
      }
      if (op.id === 'cancelJob') {
        const [job] = await db.select({ state: jobs.state }).from(jobs).where(eq(jobs.id, cancellable));
        if (!job || !['queued', 'scheduled', 'running'].includes(job.state))
          cancellable = (await launch(db, clock, alice.accountId)).id;
      }
      if (op.id !== 'revokeApiKey') return;
      const [live] = await db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, revocableKey), isNull(apiKeys.revokedAt)));
      if (!live) revocableKey = (await createApiKey(db, clock, alice.accountId, 'fuzz revocable')).id;
    },
    async close() {
      provideServiceContext(null);
      await Promise.all([handle.close(), chain.stop()]);
    },
  };
}
