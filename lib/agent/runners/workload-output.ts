import type { Readable } from 'node:stream';
import type { WorkloadSink } from '@/lib/agent/runtime';
import { LineSplitter, MAX_LOG_LINE, parseProtocolLine } from '@/lib/agent/stdout-protocol';

/**
 * Feeds a workload's output to the agent: protocol lines on standard output become progress, checkpoints and
 * the result digest, every other line — and all of standard error — becomes a log line. Shared by the process and Docker runners.
 */
export function pipeWorkloadOutput(child: { stdout: Readable; stderr: Readable }, sink: WorkloadSink): void {
  const stdout = new LineSplitter((line) => {
    const event = parseProtocolLine(line);
    if (event.type === 'progress') sink.progress(event.units);
    else if (event.type === 'checkpoint') sink.checkpoint(event.units, event.ref);
    else if (event.type === 'result') sink.result(event.digest);
    else sink.log('stdout', event.text);
  });
  const stderr = new LineSplitter((line) =>
    sink.log('stderr', (line.endsWith('\r') ? line.slice(0, -1) : line).slice(0, MAX_LOG_LINE)),
  );
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stdout.on('end', () => stdout.end());
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stderr.on('end', () => stderr.end());
}
