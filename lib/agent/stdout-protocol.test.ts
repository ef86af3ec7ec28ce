import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  MAX_LOG_LINE,
  expandCommand,
  parseProtocolLine,
  stdoutParser,
  workloadEnv,
  type ProtocolEvent,
} from '@/lib/agent/stdout-protocol';

describe('parseProtocolLine', () => {
  it('reads progress and checkpoint lines', () => {
    expect(parseProtocolLine('BACKFILL_PROGRESS 1200')).toEqual({ type: 'progress', units: 1200 });
    expect(parseProtocolLine('BACKFILL_CHECKPOINT 1000 s3://bucket/ckpt-1000')).toEqual({
      type: 'checkpoint',
      units: 1000,
      ref: 's3://bucket/ckpt-1000',
    });
    expect(parseProtocolLine('  BACKFILL_PROGRESS   7  \r')).toEqual({ type: 'progress', units: 7 });
  });

  it('reads a result digest', () => {
    const digest = 'ab'.repeat(32);
    expect(parseProtocolLine(`BACKFILL_RESULT ${digest}`)).toEqual({ type: 'result', digest });
    expect(parseProtocolLine(` BACKFILL_RESULT  ${digest} \r`)).toEqual({ type: 'result', digest });
  });

  it('keeps everything else, malformed protocol lines included, as log lines', () => {
    for (const line of [
      'epoch 3 loss 0.41',
      'BACKFILL_PROGRESS',
      'BACKFILL_PROGRESS -5',
      'BACKFILL_PROGRESS 1.5',
      'BACKFILL_PROGRESS 12 extra',
      'BACKFILL_PROGRESS 99999999999999999',
      'BACKFILL_CHECKPOINT 10',
      'BACKFILL_CHECKPOINT ten ref',
      `BACKFILL_CHECKPOINT 10 ${'r'.repeat(501)}`,
      'backfill_progress 10',
      'BACKFILL_RESULT',
      `BACKFILL_RESULT ${'AB'.repeat(32)}`,
      `BACKFILL_RESULT ${'ab'.repeat(31)}`,
      `BACKFILL_RESULT ${'ab'.repeat(33)}`,
      `BACKFILL_RESULT ${'zz'.repeat(32)}`,
      `BACKFILL_RESULT ${'ab'.repeat(32)} extra`,
      `backfill_result ${'ab'.repeat(32)}`,
      '',
    ])
      expect(parseProtocolLine(line)).toEqual({ type: 'log', text: line });
  });

  it('cuts very long log lines', () => {
    const event = parseProtocolLine('x'.repeat(MAX_LOG_LINE + 10));
    expect(event).toEqual({ type: 'log', text: 'x'.repeat(MAX_LOG_LINE) });
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, including multi-byte characters', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = new TextEncoder().encode('first\nsec€ond\nthi');
    splitter.push(bytes.slice(0, 9));
    splitter.push(bytes.slice(9, 11));
    expect(lines).toEqual(['first']);
    splitter.push(bytes.slice(11));
    expect(lines).toEqual(['first', 'sec€ond']);
    splitter.push('rd\n\nlast without newline');
    splitter.end();
    expect(lines).toEqual(['first', 'sec€ond', 'third', '', 'last without newline']);
  });

  it('bounds a line that never ends', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (let i = 0; i < 10; i++) splitter.push('y'.repeat(1_000));
    splitter.push('tail of the long line\nnext\n');
    expect(lines).toEqual(['y'.repeat(MAX_LOG_LINE), 'next']);
  });

  it('turns a workload output into events', () => {
    const events: ProtocolEvent[] = [];
    const parser = stdoutParser((event) => events.push(event));
    parser.push('loading\nBACKFILL_PROG');
    parser.push('RESS 50\nBACKFILL_CHECKPOINT 50 ckpt-50\n');
    parser.push(`BACKFILL_RESULT ${'0'.repeat(32)}`);
    parser.push(`${'f'.repeat(32)}`);
    parser.end();
    expect(events).toEqual([
      { type: 'log', text: 'loading' },
      { type: 'progress', units: 50 },
      { type: 'checkpoint', units: 50, ref: 'ckpt-50' },
      { type: 'result', digest: `${'0'.repeat(32)}${'f'.repeat(32)}` },
    ]);
  });
});

describe('workloadEnv', () => {
  const assignment = {
    jobId: '6a4c1d2e-0000-4000-8000-000000000001',
    attemptId: '6a4c1d2e-0000-4000-8000-000000000002',
    workUnits: 5_000,
    resumeFrom: { units: 1_200, ref: 'ckpt-1200', checkpoint: null },
    env: {
      HF_TOKEN: 'secret',
      BACKFILL_CHECKPOINT_DIR: '/elsewhere',
      BACKFILL_INPUT_DIR: '/elsewhere/in',
      BACKFILL_OUTPUT_DIR: '/elsewhere/out',
      CUDA_VISIBLE_DEVICES: '0,1,2,3',
    },
    gpuIndexes: [2, 3],
  };

  const dirs = { input: '/var/backfill/in', output: '/var/backfill/out', checkpoints: '/var/backfill/ckpt' };

  it('passes the job variables and the protocol variables, which win', () => {
    expect(workloadEnv(assignment, dirs)).toEqual({
      HF_TOKEN: 'secret',
      BACKFILL_JOB_ID: assignment.jobId,
      BACKFILL_ATTEMPT_ID: assignment.attemptId,
      BACKFILL_WORK_UNITS: '5000',
      BACKFILL_RESUME_UNITS: '1200',
      BACKFILL_RESUME_REF: 'ckpt-1200',
      BACKFILL_INPUT_DIR: '/var/backfill/in',
      BACKFILL_OUTPUT_DIR: '/var/backfill/out',
      BACKFILL_CHECKPOINT_DIR: '/var/backfill/ckpt',
      CUDA_VISIBLE_DEVICES: '2,3',
    });
  });

  it('starts from zero with an empty reference when there is no checkpoint', () => {
    const env = workloadEnv(
      { ...assignment, resumeFrom: { units: 0, ref: null, checkpoint: null } },
      dirs,
      [0, 1],
    );
    expect(env.BACKFILL_RESUME_UNITS).toBe('0');
    expect(env.BACKFILL_RESUME_REF).toBe('');
    expect(env.CUDA_VISIBLE_DEVICES).toBe('0,1');
  });
});

describe('expandCommand', () => {
  const env = { BACKFILL_INPUT_DIR: '/backfill/input', BACKFILL_OUTPUT_DIR: '/backfill/output' };

  it('replaces $(NAME) with the workload variable, anywhere in an argument', () => {
    expect(
      expandCommand(['node', '$(BACKFILL_INPUT_DIR)/render.mjs', '--out=$(BACKFILL_OUTPUT_DIR)/frames'], env),
    ).toEqual(['node', '/backfill/input/render.mjs', '--out=/backfill/output/frames']);
  });

  it('leaves $$(NAME) as a literal $(NAME), and an unknown name as written; no shell syntax is read', () => {
    expect(
      expandCommand(['$$(BACKFILL_INPUT_DIR)', '$(NOT_SET)', '$HOME', '${BACKFILL_INPUT_DIR}', '`id`'], env),
    ).toEqual(['$(BACKFILL_INPUT_DIR)', '$(NOT_SET)', '$HOME', '${BACKFILL_INPUT_DIR}', '`id`']);
  });
});
