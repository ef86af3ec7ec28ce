#!/usr/bin/env node
/**
 * A tiny workload that speaks the agent's stdout protocol (docs/agent.md), for trying the agent without a GPU
 * and for its end-to-end test. It "works" at BACKFILL_DEMO_UNITS_PER_SECOND (default 20) units a second up to
 * BACKFILL_WORK_UNITS, and saves a checkpoint file in BACKFILL_CHECKPOINT_DIR every
 * BACKFILL_DEMO_CHECKPOINT_EVERY units (default a quarter of the work): written whole under a temporary name and
 * renamed, then announced (`BACKFILL_CHECKPOINT <units> <name>`), so the agent only ever uploads complete files.
 * Given BACKFILL_RESUME_REF (the checkpoint the agent downloaded into BACKFILL_CHECKPOINT_DIR), it resumes from
 * the units saved in that file; a checkpoint it cannot read is an error (exit 2), never a silent restart.
 * BACKFILL_DEMO_FAIL_AT=<units> makes it exit with status 3 there (to see a failure).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const env = process.env;
const total = Number(env.BACKFILL_WORK_UNITS ?? '100');
const resumeRef = env.BACKFILL_RESUME_REF ?? '';
const perSecond = Number(env.BACKFILL_DEMO_UNITS_PER_SECOND ?? '20');
const every = Number(env.BACKFILL_DEMO_CHECKPOINT_EVERY ?? String(Math.max(1, Math.ceil(total / 4))));
const failAt = env.BACKFILL_DEMO_FAIL_AT === undefined ? null : Number(env.BACKFILL_DEMO_FAIL_AT);
const checkpointDir = env.BACKFILL_CHECKPOINT_DIR ?? '.';
const tickMs = 100;

/** The units saved in the checkpoint to resume from (0 without one). */
function resumeUnits() {
  if (!resumeRef) return 0;
  const file = path.join(checkpointDir, resumeRef);
  let saved;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`agent-demo-workload: cannot read the checkpoint ${file}: ${error.message}`);
    process.exit(2);
  }
  if (!Number.isInteger(saved?.units) || saved.units < 0) {
    console.error(`agent-demo-workload: the checkpoint ${file} holds no unit count`);
    process.exit(2);
  }
  return saved.units;
}

if (![total, perSecond, every].every((n) => Number.isFinite(n) && n >= 0) || perSecond === 0) {
  console.error('agent-demo-workload: bad numbers in the environment');
  process.exit(2);
}
const resume = resumeUnits();

console.log(
  `demo workload for job ${env.BACKFILL_JOB_ID ?? '?'} attempt ${env.BACKFILL_ATTEMPT_ID ?? '?'}: ` +
    `${total} units at ${perSecond}/s on GPUs [${env.CUDA_VISIBLE_DEVICES ?? ''}]`,
);
if (resumeRef) console.log(`resuming from ${resume} units (checkpoint ${resumeRef})`);

let done = Math.min(resume, total);
let lastCheckpoint = done;
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

function checkpoint(units) {
  const name = `checkpoint-${units}.json`;
  // Whole or not at all: the agent may read the file as soon as it is announced.
  const temp = path.join(checkpointDir, `.${name}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify({ units, at: new Date().toISOString() }));
  renameSync(temp, path.join(checkpointDir, name));
  console.log(`BACKFILL_CHECKPOINT ${units} ${name}`);
  lastCheckpoint = units;
}

const timer = setInterval(() => {
  if (stopping) {
    clearInterval(timer);
    console.log(`stopped at ${done} units`);
    process.exit(143);
  }
  done = Math.min(total, done + Math.max(1, Math.round((perSecond * tickMs) / 1000)));
  if (failAt !== null && done >= failAt) {
    clearInterval(timer);
    console.error(`simulated failure at ${done} units`);
    process.exit(3);
  }
  console.log(`BACKFILL_PROGRESS ${done}`);
  if (done - lastCheckpoint >= every || done === total) checkpoint(done);
  if (done === total) {
    clearInterval(timer);
    console.log('done');
  }
}, tickMs);
