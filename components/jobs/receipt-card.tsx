'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { jobReceiptPath, useJobReceipt, useReceiptSigner, type JobReceipt } from '@/lib/queries/jobs';

type Check =
  { state: 'idle' | 'checking' } | { state: 'done'; valid: boolean } | { state: 'error'; message: string };

/** Checks the receipt's signature in the browser, with the same viem call a verifier would run. */
async function verifyReceipt(receipt: JobReceipt): Promise<boolean> {
  const { verifyMessage } = await import('viem');
  return verifyMessage({
    address: receipt.signer as `0x${string}`,
    message: receipt.payload,
    signature: receipt.signature as `0x${string}`,
  });
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
  const sameSigner =
    signer && publishedAddress ? signer.toLowerCase() === publishedAddress.toLowerCase() : null;

  const runCheck = async () => {
    if (!receipt.data) return;
    setCheck({ state: 'checking' });
    try {
      setCheck({ state: 'done', valid: await verifyReceipt(receipt.data) });
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
