import { and, eq, isNull, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, MS_PER_DAY, MS_PER_HOUR } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { incentiveEpochs, incentiveRewards, nodeStatusIntervals, nodes } from '@/lib/db/schema';
import { closeEpochsInRange, closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import {
  DEFAULT_INCENTIVES,
  incentiveConfig,
  TOKEN_MICROS,
  type IncentiveConfig,
} from '@/lib/incentives/config';
import { parseServerEnv } from '@/lib/env';
import { emissionForEpoch, epochContaining, splitProRata, usdValueMicros } from '@/lib/incentives/emission';
import { balanceOf, getBalances } from '@/lib/ledger/operations';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { createAccount, createNode } from '@/lib/testing/orchestration-fixture';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const CONFIG: IncentiveConfig = { ...DEFAULT_INCENTIVES };
const START = '2026-11-25T10:00:00Z';

describe('emission schedule', () => {
  const genesis = CONFIG.genesis.getTime();

  it('reads the schedule from the environment; the defaults are the documented ones', () => {
    expect(incentiveConfig(parseServerEnv({}))).toEqual(DEFAULT_INCENTIVES);
    expect(
      incentiveConfig(
        parseServerEnv({
          INCENTIVE_EPOCH_MS: '900000',
          INCENTIVE_EMISSION_PER_EPOCH: '250',
          INCENTIVE_HALVING_DAYS: '30',
          INCENTIVE_GENESIS: '2026-06-01T00:00:00Z',
          INCENTIVE_USD_PRICE: '1.234567',
        }),
      ),
    ).toEqual({
      ...DEFAULT_INCENTIVES,
      epochMs: 900_000,
      emissionPerEpochMicros: 250n * TOKEN_MICROS,
      halvingMs: 30 * MS_PER_DAY,
      genesis: new Date('2026-06-01T00:00:00Z'),
      usdPriceMicros: 1_234_567n,
    });
    expect(() => parseServerEnv({ INCENTIVE_EPOCH_MS: '7000000' })).toThrow(/INCENTIVE_EPOCH_MS/);
    expect(() => parseServerEnv({ INCENTIVE_USD_PRICE: '0.1234567' })).toThrow(/INCENTIVE_USD_PRICE/);
  });

  it('emits the genesis amount for a year, then halves every year; nothing before genesis', () => {
    const at = (ms: number) => emissionForEpoch(CONFIG, new Date(genesis + ms));
    expect(at(0)).toBe(1_000n * TOKEN_MICROS);
    expect(at(364 * MS_PER_DAY + 23 * MS_PER_HOUR)).toBe(1_000n * TOKEN_MICROS);
    expect(at(365 * MS_PER_DAY)).toBe(500n * TOKEN_MICROS);
    expect(at(730 * MS_PER_DAY)).toBe(250n * TOKEN_MICROS);
    expect(at(3 * 365 * MS_PER_DAY)).toBe(125n * TOKEN_MICROS);
    expect(at(-MS_PER_HOUR)).toBe(0n);
    // Integer halving floors odd amounts and ends at zero instead of a fraction.
    const odd = { ...CONFIG, emissionPerEpochMicros: 7n, halvingMs: MS_PER_DAY };
    expect([0, 1, 2, 3].map((d) => emissionForEpoch(odd, new Date(genesis + d * MS_PER_DAY)))).toEqual([
      7n,
      3n,
      1n,
      0n,
    ]);
  });

  it('aligns epochs to the grid from genesis', () => {
    expect(epochContaining(CONFIG, new Date('2026-11-25T10:59:59.999Z')).toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
    expect(epochContaining(CONFIG, new Date('2025-06-01T00:00:00Z'))).toEqual(CONFIG.genesis);
  });

  it('values rewards in USD at the price of emission, floored to the micro-dollar', () => {
    expect(usdValueMicros(1_000n * TOKEN_MICROS, 50_000n)).toBe(50_000_000n);
    expect(usdValueMicros(19n, 50_000n)).toBe(0n);
    expect(usdValueMicros(21n, 50_000n)).toBe(1n);
  });

  it('splits pro rata exactly: shares sum to the emission and each is within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const input = weights.map((weight, i) => ({ id: `n${i.toString().padStart(3, '0')}`, weight }));
          const shares = splitProRata(total, input);
          const sum = [...shares.values()].reduce((a, b) => a + b, 0n);
          const weightSum = BigInt(weights.reduce((a, b) => a + b, 0));
          expect(sum).toBe(weightSum === 0n ? 0n : total);
          for (const { id, weight } of input) {
            const share = shares.get(id) ?? -1n;
            if (weightSum === 0n || weight === 0) {
              expect(share).toBe(0n);
              continue;
            }
            const floor = (total * BigInt(weight)) / weightSum;
            expect(share === floor || share === floor + 1n).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
  });
});

describe.each(TEST_ENGINES)('incentive epochs on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  let clock: ManualClock;

  beforeEach(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
    clock = new ManualClock(START);
  });
  afterEach(async () => {
    await expectLedgerConsistent(db);
    await handle.close();
  });

  async function incentiveBalance(account: string) {
    return balanceOf(await getBalances(db, account), 'supplier_incentives', 'incentive');
  }
  async function rewardsOf(nodeId: string) {
    return db.select().from(incentiveRewards).where(eq(incentiveRewards.nodeId, nodeId));
  }
  /** The node goes offline at `at` (as the liveness check records it). */
  async function goOffline(nodeId: string, at: Date) {
    await db
      .update(nodeStatusIntervals)
      .set({ endedAt: at })
      .where(and(eq(nodeStatusIntervals.nodeId, nodeId), isNull(nodeStatusIntervals.endedAt)));
    await db.insert(nodeStatusIntervals).values({ nodeId, status: 'offline', startedAt: at });
    await db.update(nodes).set({ status: 'offline', statusSince: at }).where(eq(nodes.id, nodeId));
  }

  it('shares each epoch over verified online GPU-seconds; unverified, quarantined and offline time earns nothing', async () => {
    const alice = await createAccount(db, clock, 'alice');
    const bob = await createAccount(db, clock, 'bob');
    const one = await createNode(db, clock, { owner: alice, gpuCount: 1 });
    const two = await createNode(db, clock, { owner: alice, gpuCount: 2 });
    const half = await createNode(db, clock, { owner: bob, gpuCount: 1 });
    const unverified = await createNode(db, clock, { owner: bob, gpuCount: 4 });
    const quarantined = await createNode(db, clock, { owner: bob, gpuCount: 4 });
    await db.update(nodes).set({ verificationState: 'unverified' }).where(eq(nodes.id, unverified.id));
    await db
      .update(nodes)
      .set({ quarantinedAt: clock.now(), quarantineReason: 'canary mismatch' })
      .where(eq(nodes.id, quarantined.id));
    await goOffline(half.id, new Date(clock.now().getTime() + 30 * 60_000));

    // Nothing has fully elapsed yet.
    clock.advance(59 * 60_000);
    expect((await closeIncentiveEpochs(db, clock, CONFIG)).closed).toEqual([]);

    clock.advance(5 * 60_000);
    const summary = await closeIncentiveEpochs(db, clock, CONFIG);
    expect(summary.closed).toHaveLength(1);
    const emission = emissionForEpoch(CONFIG, new Date(START));
    expect(summary.closed[0]).toMatchObject({ emissionMicros: emission, gpuSeconds: 3600 + 7200 + 1800 });

    const [r1] = await rewardsOf(one.id);
    const [r2] = await rewardsOf(two.id);
    const [r3] = await rewardsOf(half.id);
    expect(await rewardsOf(unverified.id)).toEqual([]);
    expect(await rewardsOf(quarantined.id)).toEqual([]);
    expect([r1?.gpuSeconds, r2?.gpuSeconds, r3?.gpuSeconds]).toEqual([3600, 7200, 1800]);
    const amounts = [r1, r2, r3].map((r) => r?.amountMicros ?? 0n);
    expect(amounts.reduce((a, b) => a + b, 0n)).toBe(emission);
    // 1000 tokens over 12,600 GPU-seconds: 2/7, 4/7 and 1/7, the odd micro-units to the largest remainders.
    expect(amounts).toEqual([285_714_286n, 571_428_571n, 142_857_143n]);
    expect(r1?.usdValueMicros).toBe(usdValueMicros(amounts[0] ?? 0n, CONFIG.usdPriceMicros));

    expect(await incentiveBalance(alice)).toBe((amounts[0] ?? 0n) + (amounts[1] ?? 0n));
    expect(await incentiveBalance(bob)).toBe(amounts[2]);
    // Incentives never touch USDC: no USDC balance appears, every incentive posting is in its own currency.
    for (const account of [alice, bob])
      for (const b of await getBalances(db, account)) expect(b.currency).toBe('incentive');
    const currencies = await queryRows<{ currency: string }>(
      db,
      sql`select distinct p.currency from ledger_postings p
          join ledger_transactions t on t.id = p.transaction_id where t.kind = 'incentive'`,
    );
    expect(currencies).toEqual([{ currency: 'incentive' }]);
    // One credit per supplier, keyed by epoch and supplier, and each reward points at its supplier's credit.
    const keys = await queryRows<{ idempotency_key: string; id: string }>(
      db,
      sql`select idempotency_key, id from ledger_transactions where kind = 'incentive' order by idempotency_key`,
    );
    expect(keys.map((k) => k.idempotency_key).sort()).toEqual(
      [`incentive:2026-11-25T10:00:00.000Z:${alice}`, `incentive:2026-11-25T10:00:00.000Z:${bob}`].sort(),
    );
    expect(r1?.ledgerTransactionId).toBe(r2?.ledgerTransactionId);
    expect(r3?.ledgerTransactionId).not.toBe(r1?.ledgerTransactionId);
  });

  it('records an epoch without verified GPU-seconds with zero emission and posts nothing', async () => {
    const alice = await createAccount(db, clock, 'alice');
    const node = await createNode(db, clock, { owner: alice });
    await db.update(nodes).set({ verificationState: 'failed' }).where(eq(nodes.id, node.id));
    clock.advance(MS_PER_HOUR);
    const summary = await closeIncentiveEpochs(db, clock, CONFIG);
    expect(summary.closed).toEqual([
      { epochStart: new Date(START), emissionMicros: 0n, gpuSeconds: 0, rewards: 0 },
    ]);
    const [epoch] = await db.select().from(incentiveEpochs);
    expect(epoch).toMatchObject({ emissionMicros: 0n, gpuSeconds: 0, usdPriceMicros: 50_000n });
    expect(await incentiveBalance(alice)).toBe(0n);
  });

  it('starts at the earliest node, catches up oldest first in bounded batches, and is idempotent', async () => {
    const alice = await createAccount(db, clock, 'alice');
    clock.advance(20 * 60_000); // created mid-epoch: that epoch counts from its creation
    await createNode(db, clock, { owner: alice });
    clock.set('2026-11-25T15:10:00Z');
    const batched = { ...CONFIG, maxEpochsPerRun: 2 };
    const first = await closeIncentiveEpochs(db, clock, batched);
    expect(first.closed.map((c) => c.epochStart.toISOString())).toEqual([
      '2026-11-25T10:00:00.000Z',
      '2026-11-25T11:00:00.000Z',
    ]);
    expect(first.closed[0]?.gpuSeconds).toBe(40 * 60);
    expect((await closeIncentiveEpochs(db, clock, batched)).closed).toHaveLength(2);
    expect((await closeIncentiveEpochs(db, clock, batched)).closed).toHaveLength(1);
    const balance = await incentiveBalance(alice);
    expect(balance).toBe(5n * emissionForEpoch(CONFIG, new Date(START)));
    // Nothing new to close: nothing changes.
    expect(await closeIncentiveEpochs(db, clock, batched)).toEqual({ closed: [], skipped: 0 });
    expect(await incentiveBalance(alice)).toBe(balance);
    expect(await db.select().from(incentiveEpochs)).toHaveLength(5);
  });

  it('reaches back only backfillMs on its first close, not to the start of all history', async () => {
    const alice = await createAccount(db, clock, 'alice');
    await createNode(db, clock, { owner: alice });
    clock.advance(30 * 24 * MS_PER_HOUR);
    const summary = await closeIncentiveEpochs(db, clock, { ...CONFIG, maxEpochsPerRun: 1_000 });
    expect(summary.closed).toHaveLength(24);
    expect(summary.closed[0]?.epochStart.toISOString()).toBe('2026-12-24T10:00:00.000Z');
  });

  it('closes a past range in day-long epochs that emit a day of hourly emission; the live close continues after it', async () => {
    const alice = await createAccount(db, clock, 'alice');
    clock.set('2026-11-20T00:00:00Z');
    const node = await createNode(db, clock, { owner: alice, gpuCount: 2 });
    await goOffline(node.id, new Date('2026-11-21T06:00:00Z'));
    clock.set('2026-11-23T00:00:00Z');
    const range = { from: new Date('2026-11-20T00:00:00Z'), to: clock.now(), epochMs: MS_PER_DAY };
    const summary = await closeEpochsInRange(db, clock, CONFIG, range);
    const hourly = emissionForEpoch(CONFIG, range.from);
    expect(summary.closed).toEqual([
      { epochStart: range.from, emissionMicros: 24n * hourly, gpuSeconds: 2 * 86_400, rewards: 1 },
      {
        epochStart: new Date('2026-11-21T00:00:00Z'),
        emissionMicros: 24n * hourly,
        gpuSeconds: 2 * 6 * 3_600,
        rewards: 1,
      },
      { epochStart: new Date('2026-11-22T00:00:00Z'), emissionMicros: 0n, gpuSeconds: 0, rewards: 0 },
    ]);
    expect(await incentiveBalance(alice)).toBe(48n * hourly);
    // Again, or overlapping what is closed: nothing twice.
    expect((await closeEpochsInRange(db, clock, CONFIG, range)).skipped).toBe(3);
    const hours = {
      from: new Date('2026-11-21T05:00:00Z'),
      to: new Date('2026-11-21T07:00:00Z'),
      epochMs: MS_PER_HOUR,
    };
    expect(await closeEpochsInRange(db, clock, CONFIG, hours)).toEqual({ closed: [], skipped: 2 });
    // Not whole epochs, or not over yet: refused.
    await expect(
      closeEpochsInRange(db, clock, CONFIG, { ...range, to: new Date('2026-11-22T12:00:00Z') }),
    ).rejects.toThrow(/whole epochs/);
    await expect(
      closeEpochsInRange(db, clock, CONFIG, { ...range, to: new Date('2026-11-24T00:00:00Z') }),
    ).rejects.toThrow(/fully elapsed/);
    // The hourly live close picks up where the range ended.
    clock.set('2026-11-23T02:30:00Z');
    const live = await closeIncentiveEpochs(db, clock, CONFIG);
    expect(live.closed.map((c) => c.epochStart.toISOString())).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-23T01:00:00.000Z',
    ]);
    // A genesis after what is closed (a network that starts paying later): the live close starts at it.
    clock.set('2026-11-23T06:30:00Z');
    const later = { ...CONFIG, genesis: new Date('2026-11-23T05:00:00Z') };
    const fromGenesis = await closeIncentiveEpochs(db, clock, later);
    expect(fromGenesis.closed.map((c) => c.epochStart.toISOString())).toEqual(['2026-11-23T05:00:00.000Z']);
  });

  it('closes each epoch once under concurrent closers', async () => {
    const alice = await createAccount(db, clock, 'alice');
    const bob = await createAccount(db, clock, 'bob');
    await createNode(db, clock, { owner: alice, gpuCount: 3 });
    await createNode(db, clock, { owner: bob, gpuCount: 1 });
    clock.advance(6 * MS_PER_HOUR);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => closeIncentiveEpochs(db, clock, CONFIG)),
    );
    const closed = results.flatMap((r) => r.closed.map((c) => c.epochStart.toISOString()));
    expect(new Set(closed).size).toBe(closed.length);
    expect(await db.select().from(incentiveEpochs)).toHaveLength(6);
    const [credits] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ledger_transactions where kind = 'incentive'`,
    );
    expect(credits?.n).toBe(12);
    const emission = emissionForEpoch(CONFIG, new Date(START));
    expect((await incentiveBalance(alice)) + (await incentiveBalance(bob))).toBe(6n * emission);
    expect(await incentiveBalance(alice)).toBe((6n * emission * 3n) / 4n);
  });
});
