import { writeFileSync } from 'node:fs';
import type { CaseResult } from '@/lib/api/fuzz/fuzz-check';
import { describeRequest, type ConcreteRequest } from '@/lib/api/fuzz/fuzz-request';

/** An error as one line, root cause first (a failed query's message is the query; its cause says why). */
export function describeError(error: Error): string {
  const chain: string[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause)
    chain.unshift(e.message.slice(0, 300));
  const frame =
    error.stack
      ?.split('\n')
      .find((line) => line.trim().startsWith('at '))
      ?.trim() ?? '';
  return `${chain.join(' ← ')} ${frame}`;
}

interface SurveyEntry {
  engine: string;
  operation: string;
  kind: string;
  status: number;
  message: string;
  count: number;
  example: string;
  seed: number;
}

/**
 * FUZZ_SURVEY=1: every request runs instead of stopping at the first failure, and the failures are grouped
 * into distinct classes (operation, kind, status and the stable part of the message), each with a count and
 * one example, plus how far requests got (answers per status).
 */
export class FuzzSurvey {
  private readonly entries = new Map<string, SurveyEntry>();
  private readonly statuses = new Map<string, Map<number, number>>();

  constructor(private readonly seed: number) {}

  count(engine: string, operation: string, status: number): void {
    const counts = this.statuses.get(`${engine} ${operation}`) ?? new Map<number, number>();
    this.statuses.set(`${engine} ${operation}`, counts.set(status, (counts.get(status) ?? 0) + 1));
  }

  /** Records a failing request; returns the classes it is the first example of. */
  record(engine: string, operation: string, request: ConcreteRequest, result: CaseResult): string[] {
    const fresh: string[] = [];
    for (const v of result.violations) {
      // A 500 hides its cause from the client: group it by what the server logged. A success is grouped by
      // what was wrong with it, not by its ever-different body. Ids and echoed field names are dropped.
      const success = result.status >= 200 && result.status < 300;
      const cause = v.kind === '5xx' && result.serverLog ? result.serverLog.split('\n')[0] : result.message;
      const message = ((success ? v.detail : cause) ?? '')
        .replace(/incident [0-9a-f-]+/g, 'incident …')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
        .replace(/\[\d+\]/g, '[i]')
        .replace(/^(Invalid (?:body|query|path)): .*/s, '$1: …')
        .slice(0, 160);
      const key = `${engine}|${operation}|${v.kind}|${result.status}|${message}`;
      const entry = this.entries.get(key);
      if (entry) {
        entry.count += 1;
        continue;
      }
      const log = result.serverLog ? `\n    server log: ${result.serverLog.slice(0, 400)}` : '';
      this.entries.set(key, {
        engine,
        operation,
        kind: v.kind,
        status: result.status,
        message,
        count: 1,
        seed: this.seed,
        example: `${v.detail}\n    ${describeRequest(request)}${log}`,
      });
      fresh.push(`[${v.kind}] ${result.status} ${message}`);
    }
    return fresh;
  }

  /** Prints the status counts and the distinct failures; writes them as JSON too when given a file. */
  print(jsonFile: string | undefined): void {
    const byStatus = [...this.statuses].map(
      ([op, counts]) =>
        `  ${op}: ${[...counts]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    );
    console.info(`[fuzz] answers by status:\n${byStatus.join('\n')}`);
    const entries = [...this.entries.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.operation.localeCompare(b.operation),
    );
    console.info(
      `[fuzz] ${entries.length} distinct failures:\n` +
        entries
          .map(
            (e) =>
              `- [${e.kind}] ${e.engine} ${e.operation} → ${e.status} ${e.message} (×${e.count})\n    ${e.example}`,
          )
          .join('\n'),
    );
    if (jsonFile) writeFileSync(jsonFile, JSON.stringify(entries, null, 2));
  }
}
