import { randomBytes } from 'node:crypto';
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
import { evaluateBenchmark, type BenchmarkVerdict } from '@/lib/verification/benchmark';
import { DEFAULT_VERIFICATION, type VerificationConfig } from '@/lib/verification/config';
import { checkReveals, pickDistinct } from '@/lib/verification/gpu-proof-check';
import { passBoundMs, planProof, timedPhaseMs } from '@/lib/verification/gpu-proof-bound';

/**
 * GPU proof challenges (lib/verification/gpu-proof.ts). A node is challenged when it is new (never passed) or its
 * last pass is older than the re-verification interval, and only while it is online and idle; while a challenge
 * is open the node is off the market, so its GPUs are free. The challenge travels in a heartbeat reply. The node
 * acknowledges it at once (the timed phase starts), commits to the Merkle root of its rounds when done (the
 * timed phase ends), and — untimed — reveals the rounds the next reply names, picked after the root arrived. The
 * server checks those against the root and recomputes a few rows of each; the time must be within the claimed
 * model's bound. A node whose agent cannot run the proof answers `unsupported` and becomes declared: never
 * verified, listed only on request. Documented in docs/verification.md.
 */

export function verificationOf(config: OrchestrationConfig): VerificationConfig {
  return config.verification ?? DEFAULT_VERIFICATION;
}

/** Longest a challenge may stay unanswered once sent: the pass bound, the acknowledgement cap, two heartbeats. */
function answerWindowMs(challenge: Pick<VerificationChallenge, 'referenceMs'>, config: OrchestrationConfig) {
  return (
    passBoundMs(challenge.referenceMs) + verificationOf(config).ackCapMs + 2 * config.heartbeatIntervalMs
  );
}

/** Opens challenges for nodes that are due, a few per tick. Returns how many were issued. */
export async function issueDueChallenges(db: Db, clock: Clock, config: OrchestrationConfig): Promise<number> {
  const verification = verificationOf(config);
  const now = clock.now();
  const staleBefore = new Date(now.getTime() - verification.reverifyIntervalMs);
  const aliveAfter = new Date(now.getTime() - config.lostAfterMs);
  // A node whose last challenge expired waits a little before it is asked again.
  const retryAfter = new Date(now.getTime() - 4 * verification.benchmarkReferenceMs - config.lostAfterMs);
  // A node that said it cannot run the proof is asked again only after the re-verification interval.
  const unsupportedAfter = staleBefore;
  const due = await queryRows<{ id: string; gpu_count: number; gpu_model: string }>(
    db,
    sql`select n.id, n.gpu_count, n.gpu_model from nodes n
        where n.status = 'online' and n.quarantined_at is null and n.last_heartbeat_at > ${aliveAfter}
          and not exists (select 1 from verification_challenges c
                          where c.node_id = n.id and (c.state in ('pending', 'sent', 'committed')
                            or c.created_at > ${retryAfter}
                            or (c.state = 'unsupported' and c.created_at > ${unsupportedAfter})))
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
      due.map((n) => {
        const lanes = Math.min(16, n.gpu_count);
        const plan = planProof(n.gpu_model, verification.proofSize, verification.benchmarkReferenceMs);
        // Every GPU does a plan's worth of rounds in the same time: the rounds scale with the GPU count.
        return {
          nodeId: n.id,
          seed: randomBytes(16).toString('hex'),
          lanes,
          rowsM: plan.m,
          innerK: plan.k,
          rounds: plan.rounds * lanes,
          referenceMs: plan.expectedMs,
          claimedModel: n.gpu_model,
          state: 'pending' as const,
          createdAt: now,
          // Unsent by then: the node stopped heartbeating. Sent ones get their own deadline when sent.
          deadlineAt: new Date(now.getTime() + config.lostAfterMs),
        };
      }),
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
    m: challenge.rowsM,
    k: challenge.innerK,
    rounds: challenge.rounds,
    referenceMs: challenge.referenceMs,
    reveal: challenge.state === 'committed' ? (challenge.revealRounds ?? []) : null,
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
        inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
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
  return toWire(open.state === 'pending' ? { ...open, state: 'sent' } : open);
}

export interface ChallengeVerdict extends BenchmarkVerdict {
  nodeId: string;
  measuredScore: number;
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
      .where(
        and(
          eq(verificationChallenges.id, challenge.id),
          inArray(verificationChallenges.state, ['sent', 'committed']),
        ),
      )
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
 * Applies one phase of a node's answer to its open challenge: an acknowledgement starts the timed phase, a
 * commitment ends it (too late fails at once; in time, the rounds to reveal are picked now), a reveal is checked
 * and judged, and `unsupported` makes the node declared. Returns the verdict when there is one, or null (no
 * verdict yet, or nothing to apply: a stale, repeated or another node's answer changes nothing).
 */
export async function answerChallenge(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  node: Pick<Node, 'id'>,
  answer: BenchmarkAnswer,
): Promise<ChallengeVerdict | null> {
  const now = clock.now();
  const verification = verificationOf(config);
  const [challenge] = await db
    .select()
    .from(verificationChallenges)
    .where(
      and(
        eq(verificationChallenges.id, answer.challengeId),
        eq(verificationChallenges.nodeId, node.id),
        inArray(verificationChallenges.state, ['sent', 'committed']),
      ),
    );
  if (!challenge?.sentAt) return null;
  const sentAt = challenge.sentAt;
  const sent = and(eq(verificationChallenges.id, challenge.id), eq(verificationChallenges.state, 'sent'));

  if (answer.phase === 'ack') {
    if (challenge.state !== 'sent' || challenge.ackAt) return null;
    await db
      .update(verificationChallenges)
      .set({ ackAt: now })
      .where(and(sent, sql`${verificationChallenges.ackAt} is null`));
    return null;
  }

  if (answer.phase === 'unsupported') {
    if (challenge.state !== 'sent') return null;
    const [closed] = await db
      .update(verificationChallenges)
      .set({ state: 'unsupported', answeredAt: now, unsupportedReason: answer.reason })
      .where(sent)
      .returning({ id: verificationChallenges.id });
    if (!closed) return null;
    // Declared, not failed: the hardware is unproven, not caught lying. A verified node that can no longer
    // run the proof stops being shown as verified.
    await db
      .update(nodes)
      .set({ verificationState: 'declared' })
      .where(and(eq(nodes.id, challenge.nodeId), sql`${nodes.verificationState} <> 'failed'`));
    await refreshOffers(db, clock, [challenge.nodeId]);
    return null;
  }

  if (answer.phase === 'commit') {
    if (challenge.state !== 'sent') return null;
    // Committed without an acknowledgement: everything since the challenge went out, beyond the cap, counts.
    const ackAt = challenge.ackAt ?? now;
    const { elapsedMs } = timedPhaseMs(sentAt, ackAt, now, verification.ackCapMs);
    const score = scoreOf(challenge, elapsedMs);
    if (elapsedMs > passBoundMs(challenge.referenceMs)) {
      const verdict = evaluateBenchmark(challenge.claimedModel, score, null);
      await db
        .update(verificationChallenges)
        .set({ ackAt, root: answer.root, committedAt: now, elapsedMs })
        .where(sent);
      return recordVerdict(db, challenge, verdict, score, now);
    }
    await db
      .update(verificationChallenges)
      .set({
        state: 'committed',
        ackAt,
        root: answer.root,
        committedAt: now,
        elapsedMs,
        // Picked only now: while computing, the node could not know which rounds it would have to show.
        revealRounds: pickDistinct(challenge.rounds, verification.revealRounds),
        deadlineAt: new Date(now.getTime() + verification.revealWindowMs),
      })
      .where(sent);
    return null;
  }

  if (challenge.state !== 'committed' || !challenge.root || challenge.elapsedMs === null) return null;
  const check = checkReveals(
    { seed: challenge.seed, m: challenge.rowsM, k: challenge.innerK, rounds: challenge.rounds },
    challenge.root,
    challenge.revealRounds ?? [],
    answer.reveals,
    { rowsPerRound: verification.rowsPerRound },
  );
  const score = scoreOf(challenge, challenge.elapsedMs);
  const verdict = evaluateBenchmark(challenge.claimedModel, score, check.ok ? null : check.detail);
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
        inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
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
      const band = evaluateBenchmark(challenge.claimedModel, score, null);
      const verdict: BenchmarkVerdict = {
        ...band,
        result: 'fail',
        detail: `No commitment within ${Math.round(elapsed / 1000)} s (at most ${score.toFixed(3)}× A100, below the ${band.expectedMin} needed).`,
      };
      const recorded = await recordVerdict(db, challenge, verdict, score, now);
      if (recorded) failed.push(recorded);
    } else if (challenge.state === 'committed' && alive) {
      // In time, but never showed its rounds: the commitment is unsubstantiated.
      const score = scoreOf(challenge, challenge.elapsedMs ?? 0);
      const verdict = evaluateBenchmark(
        challenge.claimedModel,
        score,
        `the rounds asked for were not revealed within ${Math.round(verificationOf(config).revealWindowMs / 1000)} s.`,
      );
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
          inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
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
