'use client';

import { useState } from 'react';
import { AttemptEvidenceTable, type AttemptEvidence } from '@/components/jobs/attempts-table';
import { formatTimestamp } from '@/components/billing/format';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { formatUsd } from '@/lib/money';
import { jobReceiptPath, useJobReceipt, useReceiptSigner, type JobReceipt } from '@/lib/queries/jobs';

type Check =
  { state: 'idle' | 'checking' } | { state: 'done'; valid: boolean } | { state: 'error'; message: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function readVerification(value: unknown): AttemptEvidence['verification'] {
  if (!isObject(value)) return null;
  const bench = value.lastBenchmark;
  const canaries = isObject(value.canaries) ? value.canaries : {};
  return {
    state: text(value.state) ?? 'unknown',
    quarantinedAt: text(value.quarantinedAt),
    lastBenchmark: isObject(bench)
      ? {
          result: text(bench.result) ?? 'unknown',
          measuredScore: num(bench.measuredScore),
          expectedMin: num(bench.expectedMin),
          expectedMax: num(bench.expectedMax),
          detail: text(bench.detail) ?? '',
          at: text(bench.at) ?? '',
          challengeId: text(bench.challengeId),
        }
      : null,
    canaries: { passed: num(canaries.passed), failed: num(canaries.failed) },
  };
}

/**
 * The hardware evidence per attempt, read from the signed payload itself (what a verifier would read), so
 * the page shows exactly what was signed. Receipts issued before evidence was recorded have none.
 */
export function readAttemptEvidence(receipt: Json): AttemptEvidence[] {
  const attempts = Array.isArray(receipt.attempts) ? receipt.attempts : [];
  return attempts.filter(isObject).map((a, index) => ({
    number: typeof a.number === 'number' ? a.number : index + 1,
    nodeId: text(a.nodeId) ?? '',
    nodeName: text(a.nodeName) ?? text(a.nodeId) ?? 'unknown node',
    verification: readVerification(a.verification),
    resultDigest: text(a.resultDigest),
  }));
}

/** The outputs' names and digests as signed in the payload. */
export function readOutputDigests(receipt: Json): { name: string; sha256: string; sizeBytes: number }[] {
  const outputs = Array.isArray(receipt.outputs) ? receipt.outputs : [];
  return outputs
    .filter(isObject)
    .map((o) => ({ name: text(o.name) ?? '', sha256: text(o.sha256) ?? '', sizeBytes: num(o.sizeBytes) }));
}

/** Checks a signed document (the receipt, an amendment) in the browser, with the call a verifier would run. */
async function verifySigned(doc: { signer: string; payload: string; signature: string }): Promise<boolean> {
  const { verifyMessage } = await import('viem');
  return verifyMessage({
    address: doc.signer as `0x${string}`,
    message: doc.payload,
    signature: doc.signature as `0x${string}`,
  });
}

type Amendment = JobReceipt['amendments'][number];

/** One signed amendment: what it says, that it names this receipt, and a check of its signature. */
function AmendmentItem({ amendment, receipt }: { amendment: Amendment; receipt: JobReceipt }) {
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const body = amendment.amendment;
  const amends = isObject(body.amends) ? body.amends : {};
  const namesReceipt = text(amends.receiptSignature) === receipt.signature;
  const attempts = (Array.isArray(body.suspectAttempts) ? body.suspectAttempts : []).filter(isObject);
  const totals = isObject(body.totals) ? body.totals : {};
  const refunded = text(totals.refundedMicros);
  const issued = text(body.issuedAt);
  const runCheck = async () => {
    setCheck({ state: 'checking' });
    try {
      setCheck({ state: 'done', valid: await verifySigned(amendment) });
    } catch (error) {
      setCheck({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <li
      className="flex flex-col gap-1 rounded-md border border-warning p-3 text-sm"
      data-amendment={num(body.number)}
    >
      <p className="font-medium">
        Amendment {num(body.number)}
        {issued ? ` · ${formatTimestamp(issued)}` : ''}
      </p>
      <p className="text-muted-foreground">{text(body.statement)}</p>
      <p>
        {attempts
          .map(
            (a) =>
              `Attempt ${num(a.number)} on “${text(a.nodeName) ?? '?'}”: ${formatUsd(text(a.refundedMicros) ?? '0')} refunded`,
          )
          .join('; ')}
        {refunded ? ` — ${formatUsd(refunded)} in all.` : ''}
      </p>
      <p className={namesReceipt ? 'text-success' : 'text-danger'}>
        {namesReceipt
          ? 'It names this receipt (its signature and payload sha256).'
          : 'It does not name this receipt’s signature.'}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => void runCheck()} disabled={check.state === 'checking'}>
          {check.state === 'checking' ? 'Checking…' : 'Check this amendment’s signature'}
        </Button>
        <span role="status">
          {check.state === 'done' ? (
            check.valid ? (
              <span className="text-success">Valid: signed by {amendment.signer}.</span>
            ) : (
              <span className="text-danger">Invalid: the signature does not match.</span>
            )
          ) : check.state === 'error' ? (
            <span className="text-danger">Could not check: {check.message}</span>
          ) : null}
        </span>
      </div>
    </li>
  );
}

/**
 * The signed job receipt: what ran where, metered time and charges, signed by the marketplace. Downloadable
 * as JSON, with how to check it and a one-click check here.
 */
export function ReceiptCard({ jobId, specHash }: { jobId: string; specHash: string }) {
  const receipt = useJobReceipt(jobId, true);
  const published = useReceiptSigner(true);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const signer = receipt.data?.signer ?? null;
  const publishedAddress = published.data?.address ?? null;
  const evidence = receipt.data ? readAttemptEvidence(receipt.data.receipt) : [];
  const outputs = receipt.data ? readOutputDigests(receipt.data.receipt) : [];
  const sameSigner =
    signer && publishedAddress ? signer.toLowerCase() === publishedAddress.toLowerCase() : null;

  const runCheck = async () => {
    if (!receipt.data) return;
    setCheck({ state: 'checking' });
    try {
      setCheck({ state: 'done', valid: await verifySigned(receipt.data) });
    } catch (error) {
      setCheck({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <Card className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Receipt</h2>
        <a
          href={jobReceiptPath(jobId)}
          download={`receipt-${jobId}.json`}
          className="text-sm text-accent underline underline-offset-2"
        >
          Download receipt (JSON)
        </a>
      </div>
      <p className="text-sm text-muted-foreground">
        Signed by Backfill when the job ended: the spec hash (
        <code className="font-mono text-xs break-all">{specHash}</code>), every node and GPU serial that ran
        it, metered and forfeited time, each charge and its split, and the ledger transactions behind them.
      </p>
      <section aria-labelledby={`evidence-${jobId}`} className="flex flex-col gap-2">
        <h3 id={`evidence-${jobId}`} className="font-medium">
          Hardware evidence
        </h3>
        <p className="text-sm text-muted-foreground">
          For every node that ran the job, as signed: its verification state, its last hardware benchmark
          before the job ended (score against the claimed GPU model&apos;s band), its canary jobs, and the
          result the workload reported.
        </p>
        {receipt.data ? (
          evidence.length > 0 ? (
            <AttemptEvidenceTable evidence={evidence} />
          ) : (
            <p className="text-sm text-muted-foreground">The job never ran on a node.</p>
          )
        ) : (
          <p className="text-sm text-muted-foreground">
            {receipt.error ? 'Could not load the receipt.' : 'Loading…'}
          </p>
        )}
      </section>
      <section aria-labelledby={`output-digests-${jobId}`} className="flex flex-col gap-2">
        <h3 id={`output-digests-${jobId}`} className="font-medium">
          Output digests
        </h3>
        {receipt.data ? (
          outputs.length > 0 ? (
            <ScrollRegion label="Output digests as signed">
              <table className="w-full text-sm">
                <TableHead columns={['Name', 'sha256']} />
                <tbody>
                  {outputs.map((o) => (
                    <tr key={o.name} className="border-t border-border" data-digest={o.name}>
                      <td className="py-1 pr-3 font-mono">{o.name}</td>
                      <td className="py-1 pr-3 font-mono text-xs break-all">{o.sha256}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : (
            <p className="text-sm text-muted-foreground">No output files were recorded.</p>
          )
        ) : null}
      </section>
      {receipt.data && receipt.data.amendments.length > 0 ? (
        <section aria-labelledby={`amendments-${jobId}`} className="flex flex-col gap-2">
          <h3 id={`amendments-${jobId}`} className="font-medium">
            Amendments
          </h3>
          <p className="text-sm text-muted-foreground">
            Signed after the receipt, when a node that ran the job was caught failing verification. The
            receipt is never rewritten; each amendment is its own signed document that names it.
          </p>
          <ul className="flex flex-col gap-2">
            {receipt.data.amendments.map((a) => (
              <AmendmentItem key={a.signature} amendment={a} receipt={receipt.data} />
            ))}
          </ul>
        </section>
      ) : null}
      <div className="rounded-md border border-border p-3 text-sm">
        <h3 className="font-medium">How to verify</h3>
        <p className="mt-1 text-muted-foreground">
          The file&apos;s <code className="font-mono text-xs">payload</code> is signed as an EIP-191 personal
          message. Check it with viem:{' '}
          <code className="font-mono text-xs break-all">
            verifyMessage(&#123; address: signer, message: payload, signature &#125;)
          </code>{' '}
          and compare <code className="font-mono text-xs">signer</code> with the marketplace&apos;s published
          receipt signer at <code className="font-mono text-xs">/api/v1/receipts/signer</code>.
        </p>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-muted-foreground">Signer</dt>
          <dd className="font-mono text-xs break-all" data-testid="receipt-signer">
            {signer ?? (receipt.error ? `Could not load the receipt: ${receipt.error.message}` : 'Loading…')}
          </dd>
          <dt className="text-muted-foreground">Published signer</dt>
          <dd className="font-mono text-xs break-all">
            {publishedAddress ?? (published.error ? 'Could not load it.' : 'Loading…')}
            {sameSigner === true ? <span className="ml-2 font-sans text-success">matches</span> : null}
            {sameSigner === false ? <span className="ml-2 font-sans text-danger">does not match</span> : null}
          </dd>
        </dl>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button onClick={() => void runCheck()} disabled={!receipt.data || check.state === 'checking'}>
            {check.state === 'checking' ? 'Checking…' : 'Check the signature here'}
          </Button>
          <p role="status" className="text-sm">
            {check.state === 'done' ? (
              check.valid ? (
                <span className="text-success">Valid: the payload was signed by {signer}.</span>
              ) : (
                <span className="text-danger">
                  Invalid: the signature does not match the payload and signer.
                </span>
              )
            ) : check.state === 'error' ? (
              <span className="text-danger">Could not check: {check.message}</span>
            ) : null}
          </p>
        </div>
      </div>
    </Card>
  );
}
