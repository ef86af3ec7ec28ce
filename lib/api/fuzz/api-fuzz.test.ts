/**
 * Generated fuzzing of every operation in the OpenAPI documents (the agent's endpoints, the embedded store's
 * signed URLs and the demo's simulation controls included), on PGlite and on the real PostgreSQL server. For each operation, fast-check generates
 * hostile requests from the documented parameters and body schema — NUL and other controls, lone surrogates,
 * bidi marks, huge and fractional numbers, integers past 2^63, impossible dates, garbage cursors, unknown and
 * `__proto__` keys, wrong JSON types, 5,000-deep and >1 MiB bodies, non-UUID and unknown ids — sends them to
 * the route handler in-process with valid credentials, and checks each answer (see fuzz-check.ts): no 5xx, a
 * documented status, the error envelope, the document's schema on success, refusal of what the document calls
 * invalid, and no change to any table or the ledger when a request is refused.
 *
 * Run:     npx vitest run lib/api/fuzz
 * Replay:  every failure prints its seed and path. Re-run the same sequence with
 *            FUZZ_SEED=<seed> npx vitest run lib/api/fuzz -t '<engine> <operationId>'
 *          or jump straight to the shrunk counterexample with FUZZ_SEED=<seed> FUZZ_PATH=<path> (same -t).
 *          A failure that depends on what earlier requests stored replays with FUZZ_SEED alone.
 * Knobs:   FUZZ_RUNS (requests per operation per engine, default 200);
 *          FUZZ_SURVEY=1 runs every request instead of stopping at the first failure and prints the distinct
 *          failures grouped by class (FUZZ_SURVEY_OUT=<file> also writes them as JSON).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ENGINES } from '@/lib/testing/test-db';
import { describeFailure, runCase } from '@/lib/api/fuzz/fuzz-check';
import { materialize } from '@/lib/api/fuzz/fuzz-request';
import { FuzzSurvey, describeError } from '@/lib/api/fuzz/fuzz-survey';
import { createFuzzWorld, type FuzzWorld } from '@/lib/api/fuzz/fuzz-world';
import { loadFuzzDocument, operationLabel } from '@/lib/api/fuzz/operations';
import { requestRecipe } from '@/lib/api/fuzz/request-recipe';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const PATH = process.env.FUZZ_PATH;
const AGENT_ENDPOINTS = [
  'POST /api/v1/agent/register',
  'POST /api/v1/agent/heartbeat',
  'POST /api/v1/agent/uploads',
  'POST /api/v1/agent/uploads/{id}/complete',
];
/** The embedded store's signed URLs: public by signature, fuzzed like the rest (no request carries one). */
const SIGNED_URL_ENDPOINTS = ['GET /api/v1/storage/objects/{key}', 'PUT /api/v1/storage/objects/{key}'];

const { operations, resolve } = loadFuzzDocument();
const survey = process.env.FUZZ_SURVEY === '1' ? new FuzzSurvey(SEED) : null;

afterAll(() => survey?.print(process.env.FUZZ_SURVEY_OUT));

describe.each(TEST_ENGINES)('%s', (engine) => {
  let world: FuzzWorld;
  const exercised = new Map<string, number>();
  /** Operations whose own test already failed (stopping early); the final count check skips them. */
  const failed = new Set<string>();
  const serverLog: string[] = [];

  beforeAll(async () => {
    world = await createFuzzWorld(engine, resolve);
    // The route wrapper logs the cause of every 500; keep it for the failure message instead of the console.
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      serverLog.push(args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(' '));
    });
    console.info(
      `[fuzz] ${engine}: seed ${SEED}, ${RUNS} requests per operation, ${operations.length} operations`,
    );
  }, 180_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await world?.close();
  });

  it('covers every operation of the document, both agent endpoints among them', async () => {
    const labels = operations.map(operationLabel);
    for (const endpoint of [...AGENT_ENDPOINTS, ...SIGNED_URL_ENDPOINTS]) expect(labels).toContain(endpoint);
    for (const op of operations) {
      expect(world.handlers.has(operationLabel(op)), `no route module serves ${operationLabel(op)}`).toBe(
        true,
      );
      if (op.body) expect(await world.baseline(op), `no valid baseline body for ${op.id}`).not.toBeNull();
    }
  });

  for (const op of operations) {
    it(`${op.id}: ${op.method} ${op.path}`, async () => {
      const handler = world.handlers.get(operationLabel(op));
      if (!handler) throw new Error(`no route module serves ${operationLabel(op)}`);
      let lastKey: string | undefined;
      const surveyed: string[] = [];
      const property = fc.asyncProperty(requestRecipe(op, resolve), async (recipe) => {
        await world.prepare(op);
        const request = await materialize(world, op, recipe, resolve, lastKey);
        lastKey = request.idempotencyKey ?? lastKey;
        exercised.set(op.id, (exercised.get(op.id) ?? 0) + 1);
        const result = await runCase(world, op, handler, request, resolve, serverLog);
        survey?.count(engine, op.id, result.status);
        if (result.violations.length === 0) return;
        if (!survey) throw new Error(describeFailure(op, request, result));
        surveyed.push(...survey.record(engine, op.id, request, result));
      });
      const details = await fc.check(property, {
        numRuns: RUNS,
        seed: SEED,
        ...(PATH ? { path: PATH } : {}),
      });
      if (details.failed || surveyed.length) failed.add(op.id);
      if (details.failed) {
        const error =
          details.errorInstance instanceof Error
            ? details.errorInstance.message
            : String(details.errorInstance);
        throw new Error(
          `${engine} ${op.id} failed after ${details.numRuns} requests (${details.numShrinks} shrinks).\n` +
            `Replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run lib/api/fuzz -t '${engine} ${op.id}'\n` +
            error,
        );
      }
      if (surveyed.length)
        throw new Error(
          `${engine} ${op.id}: ${surveyed.length} distinct failures (seed ${SEED}):\n${surveyed.join('\n')}`,
        );
    }, 600_000);
  }

  it(`exercised every operation at least ${RUNS} times`, () => {
    if (PATH) return; // a replay runs one request
    const short = operations
      .filter((op) => !failed.has(op.id) && (exercised.get(op.id) ?? 0) < RUNS)
      .map((op) => `${op.id} (${exercised.get(op.id) ?? 0})`);
    expect(short, 'operations not exercised enough').toEqual([]);
  });
});
