import { Badge } from '@/components/ui/badge';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { formatAgo } from '@/lib/format';
import type { NodeDetail } from '@/lib/market/node-schemas';

type Verification = NodeDetail['verification'];
type VerificationRecord = Verification['history'][number];

const METHOD_NAME: Record<VerificationRecord['method'], string> = {
  benchmark: 'Benchmark',
  canary: 'Canary job',
};

/** "Nov 10, 2026, 06:00 UTC": verification recency matters by the hour, so the time is shown too. */
export function formatUtcDateTime(iso: string): string {
  const text = new Date(iso).toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  return `${text} UTC`;
}

function UtcTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatUtcDateTime(iso)}</time>;
}

/** A benchmark's measured speed against the least that passes; a canary is a known-answer check, not timed. */
function scoreText(v: VerificationRecord): string {
  if (v.method !== 'benchmark') return 'Known answer, not timed';
  return `${v.measuredScore.toFixed(3)}× A100 · needs ≥ ${v.expectedMin.toFixed(3)} (reference ${v.expectedMax.toFixed(3)})`;
}

function ResultBadge({ result }: { result: VerificationRecord['result'] }) {
  return <Badge tone={result === 'pass' ? 'success' : 'danger'}>{result === 'pass' ? 'Pass' : 'Fail'}</Badge>;
}

function counted({ passed, failed }: { passed: number; failed: number }): string {
  return `${passed.toLocaleString('en-US')} passed · ${failed.toLocaleString('en-US')} failed`;
}

/** The verification facts of a node: its latest check, when it last passed and how, and verdicts by method. */
export function VerificationSummary({ verification, now }: { verification: Verification; now: Date }) {
  const { lastCheck, lastVerifiedAt, lastVerifiedMethod, counts } = verification;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-muted-foreground">Latest check</dt>
      <dd>
        {lastCheck ? (
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <UtcTime iso={lastCheck.at} />
            <span>{METHOD_NAME[lastCheck.method]}</span>
            <ResultBadge result={lastCheck.result} />
            <span className="tabular text-muted-foreground">{scoreText(lastCheck)}</span>
          </span>
        ) : (
          'None yet: the first benchmark is pending.'
        )}
      </dd>
      <dt className="text-muted-foreground">Verified</dt>
      <dd>
        {verification.state === 'verified' && lastVerifiedAt ? (
          <>
            {formatAgo(lastVerifiedAt, now)}
            {lastVerifiedMethod ? ` by ${METHOD_NAME[lastVerifiedMethod].toLowerCase()}` : ''} (
            <UtcTime iso={lastVerifiedAt} />)
          </>
        ) : verification.state === 'failed' ? (
          'No: the node failed verification.'
        ) : (
          'Not yet verified.'
        )}
      </dd>
      <dt className="text-muted-foreground">Benchmarks</dt>
      <dd className="tabular">{counted(counts.benchmark)}</dd>
      <dt className="text-muted-foreground">Canary jobs</dt>
      <dd className="tabular">{counted(counts.canary)}</dd>
    </dl>
  );
}

/** Every recorded check, newest first, with the measured score against the band and the verdict's words. */
export function VerificationHistory({ history }: { history: Verification['history'] }) {
  if (history.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        No verification has run yet; the first benchmark is pending.
      </p>
    );
  }
  return (
    <ScrollRegion label="Verification history" className="">
      <table className="w-full min-w-[720px] text-sm">
        <caption className="sr-only">Verification history, newest first</caption>
        <TableHead columns={['Time', 'Method', 'Result', 'Score vs band', 'Detail']} />
        <tbody className="tabular">
          {history.map((v, i) => (
            <tr key={`${v.at}:${v.method}:${i}`} className="border-t border-border align-top">
              <td className="py-1.5 pr-3 whitespace-nowrap">
                <UtcTime iso={v.at} />
              </td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{METHOD_NAME[v.method]}</td>
              <td className="py-1.5 pr-3">
                <ResultBadge result={v.result} />
              </td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{scoreText(v)}</td>
              <td className="py-1.5">{v.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
