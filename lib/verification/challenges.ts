import { randomBytes, randomInt } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  nodeVerifications,
  nodes,
  verificationChallenges,
  type Node,
  type VerificationChallenge,
} from '@/lib/db/schema';
import type { BenchmarkAnswer, BenchmarkChallenge } from '@/lib/agent/schemas';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { gpuModel } from '@/lib/market/gpu-models';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { BENCHMARK_BAND, evaluateBenchmark, type BenchmarkVerdict } from '@/lib/verification/benchmark';
import { DEFAULT_VERIFICATION, type VerificationConfig } from '@/lib/verification/config';
import { laneAnswer } from '@/lib/verification/known-answer';

/**
 * Benchmark challenges. A node is challenged when it is new (never passed) or its last pass is older than the
 * re-verification interval, and only while it is online and idle; while a challenge is open the node is off
 * the market, so its GPUs are free for the benchmark. The challenge travels in a heartbeat reply — that reply
 * starts the clock — and the answer comes in a later heartbeat. The server recomputes sampled lanes (a wrong
 * lane fails) and scores the speed as the claimed model's throughput × referenceMs ÷ elapsed: a node slower
 * than the model it claims answers late and falls below the band. Documented in docs/verification.md.
 */

export function verificationOf(config: OrchestrationConfig): VerificationConfig {
  return config.verification ?? DEFAULT_VERIFICATION;
}

/** Longest an honest answer can take and still pass, with room for a heartbeat round trip. */
function answerWindowMs(challenge: Pick<VerificationChallenge, 'referenceMs'>, config: OrchestrationConfig) {
  return Math.ceil(challenge.referenceMs / (1 - BENCHMARK_BAND.below)) + 2 * config.heartbeatIntervalMs;
}

/** Opens challenges for nodes that are due, a few per tick. Returns how many were issued. */
export async function issueDueChallenges(db: Db, clock: Clock, config: OrchestrationConfig): Promise<number> {
  const verification = verificationOf(config);
  const now = clock.now();
  const staleBefore = new Date(now.getTime() - verification.reverifyIntervalMs);
  const aliveAfter = new Date(now.getTime() - config.lostAfterMs);
  // A node whose last challenge expired waits a little before it is asked again.
  const retryAfter = new Date(now.getTime() - 4 * verification.benchmarkReferenceMs - config.lostAfterMs);
  const due = await queryRows<{ id: string; gpu_count: number; gpu_model: string }>(
    db,
    sql`select n.id, n.gpu_count, n.gpu_model from nodes n
        where n.status = 'online' and n.quarantined_at is null and n.last_heartbeat_at > ${aliveAfter}
          and not exists (select 1 from verification_challenges c
                          where c.node_id = n.id and (c.state in ('pending', 'sent') or c.created_at > ${retryAfter}))
          and not exists (select 1 from job_attempts a where a.node_id = n.id and a.state in ('assigned', 'running'))
          and coalesce((select max(v.created_at) from node_verifications v
                        where v.node_id = n.id and v.method = 'benchmark' and v.result = 'pass'), '-infinity') < ${staleBefore}
        order by n.created_at, n.id
        limit ${verification.challengesPerTick}`,
  );
  if (due.length === 0) return 0;
  const inserted = await db
    .insert(verificationChallenges)
    .values(
      due.map((n) => ({
        nodeId: n.id,
        seed: randomBytes(16).toString('hex'),
        lanes: Math.min(16, n.gpu_count),
        steps: verification.benchmarkSteps,
        referenceMs: verification.benchmarkReferenceMs,
        claimedModel: n.gpu_model,
        state: 'pending' as const,
        createdAt: now,
        // Unsent by then: the node stopped heartbeating. Sent ones get their own deadline when sent.
        deadlineAt: new Date(now.getTime() + config.lostAfterMs),
      })),
    )
    .onConflictDoNothing()
    .returning({ nodeId: verificationChallenges.nodeId });
  if (inserted.length)
    await refreshOffers(
      db,
      clock,
      inserted.map((r) => r.nodeId),
    );
  return inserted.length;
}

function toWire(challenge: VerificationChallenge): BenchmarkChallenge {
  return {
    challengeId: challenge.id,
    seed: challenge.seed,
    lanes: challenge.lanes,
    steps: challenge.steps,
    referenceMs: challenge.referenceMs,
  };
}

/**
 * The node's open challenge for a heartbeat reply, or null. The first reply that carries it starts the clock
 * (sentAt); later replies repeat it until it is answered, without restarting the clock.
 */
export async function deliverChallenge(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  nodeId: string,
): Promise<BenchmarkChallenge | null> {
  const [open] = await db
    .select()
    .from(verificationChallenges)
    .where(
      and(
        eq(verificationChallenges.nodeId, nodeId),
        inArray(verificationChallenges.state, ['pending', 'sent']),
      ),
    );
  if (!open) return null;
  if (open.state === 'pending') {
    const now = clock.now();
    const deadlineAt = new Date(now.getTime() + answerWindowMs(open, config));
    await db
      .update(verificationChallenges)
      .set({ state: 'sent', sentAt: now, deadlineAt })
      .where(and(eq(verificationChallenges.id, open.id), eq(verificationChallenges.state, 'pending')));
  }
  return toWire(open);
}

export interface ChallengeVerdict extends BenchmarkVerdict {
  nodeId: string;
  measuredScore: number;
}

/** Picks `count` distinct lanes at random (unpredictable to the node: it cannot know which lanes are checked). */
function sampleLanes(lanes: number, count: number): number[] {
  const all = Array.from({ length: lanes }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, Math.min(count, lanes));
}

async function recordVerdict(
  db: Db,
  challenge: VerificationChallenge,
  verdict: BenchmarkVerdict,
  measuredScore: number,
  at: Date,
): Promise<ChallengeVerdict | null> {
  return db.transaction(async (tx) => {
    const [closed] = await tx
      .update(verificationChallenges)
      .set({ state: verdict.result === 'pass' ? 'passed' : 'failed', answeredAt: at })
      .where(and(eq(verificationChallenges.id, challenge.id), eq(verificationChallenges.state, 'sent')))
      .returning({ id: verificationChallenges.id });
    // Answered twice (or by two heartbeats at once): the first verdict stands.
    if (!closed) return null;
    await tx.insert(nodeVerifications).values({
      nodeId: challenge.nodeId,
      method: 'benchmark',
      result: verdict.result,
      measuredScore,
      expectedMin: verdict.expectedMin,
      expectedMax: verdict.expectedMax,
      detail: verdict.detail,
      challengeId: challenge.id,
      createdAt: at,
    });
    if (verdict.result === 'pass')
      await tx
        .update(nodes)
        .set({ verificationState: 'verified' })
        .where(and(eq(nodes.id, challenge.nodeId), sql`${nodes.status} <> 'quarantined'`));
    return { ...verdict, nodeId: challenge.nodeId, measuredScore };
  });
}

function scoreOf(challenge: VerificationChallenge, elapsedMs: number): number {
  const claimed = gpuModel(challenge.claimedModel).relativeThroughput;
  return Math.round(((claimed * challenge.referenceMs) / Math.max(1, elapsedMs)) * 1000) / 1000;
}

/**
 * Judges a node's answer to its sent challenge: every sampled lane must match and the time must fall in the
 * claimed model's band. Returns the verdict, or null when there is nothing to judge (no such open challenge
 * for this node — a stale or forged answer changes nothing).
 */
export async function answerChallenge(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  node: Pick<Node, 'id'>,
  answer: BenchmarkAnswer,
): Promise<ChallengeVerdict | null> {
  const now = clock.now();
  const [challenge] = await db
    .select()
    .from(verificationChallenges)
    .where(
      and(
        eq(verificationChallenges.id, answer.challengeId),
        eq(verificationChallenges.nodeId, node.id),
        eq(verificationChallenges.state, 'sent'),
      ),
    );
  if (!challenge?.sentAt) return null;
  const correct =
    answer.lanes.length === challenge.lanes &&
    sampleLanes(challenge.lanes, verificationOf(config).sampledLanes).every(
      (lane) => laneAnswer(challenge.seed, lane, challenge.steps) === answer.lanes[lane],
    );
  const score = scoreOf(challenge, now.getTime() - challenge.sentAt.getTime());
  const verdict = evaluateBenchmark(challenge.claimedModel, score, correct);
  const recorded = await recordVerdict(db, challenge, verdict, score, now);
  if (recorded?.result === 'pass') await refreshOffers(db, clock, [challenge.nodeId]);
  return recorded;
}

/**
 * Closes challenges past their deadline. A sent challenge whose node is still heartbeating has simply not
 * answered in time — slower than the claimed model can be — and fails; one whose node went silent, or that
 * was never sent, expires without a verdict (the node is asked again later). Returns the failed verdicts.
 */
export async function closeOverdueChallenges(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
): Promise<ChallengeVerdict[]> {
  const now = clock.now();
  const overdue = await db
    .select({ challenge: verificationChallenges, lastHeartbeatAt: nodes.lastHeartbeatAt })
    .from(verificationChallenges)
    .innerJoin(nodes, eq(nodes.id, verificationChallenges.nodeId))
    .where(
      and(
        inArray(verificationChallenges.state, ['pending', 'sent']),
        sql`${verificationChallenges.deadlineAt} < ${now}`,
      ),
    );
  const failed: ChallengeVerdict[] = [];
  const expired: string[] = [];
  for (const { challenge, lastHeartbeatAt } of overdue) {
    const sentAt = challenge.sentAt;
    // Still talking to us (a node under test heartbeats at the busy interval), so it is not lost: it is slow.
    const alive =
      sentAt !== null &&
      lastHeartbeatAt !== null &&
      now.getTime() - lastHeartbeatAt.getTime() <= 2 * config.heartbeatIntervalMs;
    if (challenge.state === 'sent' && sentAt && alive) {
      const elapsed = now.getTime() - sentAt.getTime();
      const score = scoreOf(challenge, elapsed);
      const band = evaluateBenchmark(challenge.claimedModel, score, true);
      const verdict: BenchmarkVerdict = {
        ...band,
        result: 'fail',
        detail: `No answer within ${Math.round(elapsed / 1000)} s (at most ${score.toFixed(3)}× A100, below the band ${band.expectedMin}–${band.expectedMax}).`,
      };
      const recorded = await recordVerdict(db, challenge, verdict, score, now);
      if (recorded) failed.push(recorded);
    } else {
      expired.push(challenge.id);
    }
  }
  if (expired.length) {
    const rows = await db
      .update(verificationChallenges)
      .set({ state: 'expired' })
      .where(
        and(
          inArray(verificationChallenges.id, expired),
          inArray(verificationChallenges.state, ['pending', 'sent']),
        ),
      )
      .returning({ nodeId: verificationChallenges.nodeId });
    await refreshOffers(
      db,
      clock,
      rows.map((r) => r.nodeId),
    );
  }
  return failed;
}
