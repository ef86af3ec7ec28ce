'use client';

import { useId, useState, type FormEvent } from 'react';
import { formatUsdPrecise } from '@/components/supplier/format';
import { PAYOUT_STATE_MEANING } from '@/components/supplier/labels';
import { PayoutHistory, PayoutTx } from '@/components/supplier/payout-history';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { shortAddress } from '@/components/wallet/short-address';
import { StepList, type Step } from '@/components/wallet/step-list';
import type { PayoutView } from '@/lib/payouts/schemas';
import { useChainInfo } from '@/lib/queries/chain';
import { parseUsdcToMicros } from '@/lib/money';
import {
  payoutsExportPath,
  usePayouts,
  useRequestPayout,
  useSupplierEarnings,
  type EarningsRange,
} from '@/lib/queries/supplier';

const ORDER: PayoutView['state'][] = ['requested', 'signed', 'sent', 'confirmed'];
const STEP_LABEL: Record<string, string> = {
  requested: 'Set aside from your payable balance',
  signed: 'Signed by the treasury',
  sent: 'Broadcast to the chain',
  confirmed: 'Confirmed in your wallet',
};

function payoutSteps(payout: PayoutView): Step[] {
  const at = payout.state === 'failed' ? ORDER.indexOf('sent') : ORDER.indexOf(payout.state);
  return ORDER.map((state, index) => ({
    id: state,
    label: STEP_LABEL[state] ?? state,
    status:
      payout.state === 'failed' && index === at
        ? 'failed'
        : index < at || payout.state === 'confirmed'
          ? 'done'
          : index === at
            ? 'active'
            : 'waiting',
    detail: index === at ? PAYOUT_STATE_MEANING[payout.state] : undefined,
  }));
}

/** The payout just requested, followed until it is confirmed (or failed and returned). */
function PayoutProgress({ payout }: { payout: PayoutView }) {
  return (
    <div className="flex flex-col gap-2 rounded-md border border-border p-3">
      <p className="text-sm">
        Withdrawing <strong className="tabular">{formatUsdPrecise(payout.amountMicros)}</strong> USDC to{' '}
        <span className="font-mono" title={payout.toAddress}>
          {shortAddress(payout.toAddress)}
        </span>
      </p>
      <StepList label="Payout steps" steps={payoutSteps(payout)} />
      <p
        role="status"
        className={
          payout.state === 'confirmed'
            ? 'text-sm font-medium text-success'
            : payout.state === 'failed'
              ? 'text-sm font-medium text-danger'
              : 'sr-only'
        }
      >
        {payout.state === 'confirmed'
          ? `Confirmed: ${formatUsdPrecise(payout.amountMicros)} sent to your wallet.`
          : payout.state === 'failed'
            ? `Failed: ${payout.failureReason ?? 'the transfer did not go through'}. The amount is payable again.`
            : PAYOUT_STATE_MEANING[payout.state]}
      </p>
      {payout.txHash ? (
        <p className="text-sm">
          Transaction: <PayoutTx payout={payout} />
        </p>
      ) : null}
    </div>
  );
}

/**
 * Payouts: withdraw payable USDC to the signed-in wallet (the treasury signs and sends the transfer; no
 * wallet signature is needed here), watch it reach the chain, and the history with a CSV.
 */
export function PayoutsSection({ address, range }: { address: string; range: EarningsRange }) {
  const id = useId();
  const chain = useChainInfo();
  const earnings = useSupplierEarnings(range);
  const payouts = usePayouts();
  const request = useRequestPayout();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ key: string; amount: string } | null>(null);
  const [requestedId, setRequestedId] = useState<string | null>(null);
  const payable = earnings.data ? BigInt(earnings.data.balances.payableMicros) : null;
  const shown: EarningsRange = earnings.data ? { from: earnings.data.from, to: earnings.data.to } : range;
  const requested =
    (payouts.data?.pages ?? []).flatMap((page) => page.items).find((p) => p.id === requestedId) ??
    (request.data?.id === requestedId ? request.data : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = text.trim() === '' ? undefined : parseUsdcToMicros(text);
    if (amount === null) return setError('Enter an amount in USDC, such as 12.50 (at most 6 decimals).');
    if (amount !== undefined && amount <= 0n) return setError('Enter an amount greater than zero.');
    if (payable !== null && (payable === 0n || (amount ?? payable) > payable))
      return setError(`Your payable balance is ${formatUsdPrecise(payable)}; withdraw at most that.`);
    setError(null);
    // The same withdrawal retried keeps its key, so a lost answer never pays twice.
    const amountText = amount === undefined ? 'all' : amount.toString();
    const key = pending?.amount === amountText ? pending.key : crypto.randomUUID();
    setPending({ key, amount: amountText });
    request.mutate(
      { ...(amount === undefined ? {} : { amountMicros: amount }), idempotencyKey: key },
      {
        onSuccess: (payout) => {
          setPending(null);
          setText('');
          setRequestedId(payout.id);
        },
        onError: (e) => setError(`Could not withdraw: ${e.message}`),
      },
    );
  };

  return (
    <Card className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="font-semibold">Payouts</h2>
          <p className="mt-1 text-sm text-muted-foreground">
            Withdraw payable USDC to the wallet you signed in with. The Backfill treasury sends the transfer
            on-chain; it is confirmed once it has its confirmations.
          </p>
        </div>
        <a
          href={payoutsExportPath(shown)}
          download
          className="text-sm text-accent underline underline-offset-2"
        >
          Download payouts CSV
        </a>
      </div>
      {chain.error && !chain.data ? (
        <div
          role="alert"
          className="rounded-lg border border-danger/40 bg-danger-soft p-3 text-sm text-danger"
        >
          <p className="font-medium">Payouts are not available on this server.</p>
          <p className="mt-1">{chain.error.message}</p>
        </div>
      ) : (
        <>
          {chain.data?.isLocal ? (
            <div
              role="note"
              className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning"
            >
              <strong>Local test chain.</strong> Payouts here move test USDC on a simulated chain (
              {chain.data.name}, chain id {chain.data.chainId}); it has no value.
            </div>
          ) : null}
          <form onSubmit={submit} noValidate className="flex flex-col gap-3">
            <p id={`${id}-hint`} className="text-sm">
              Payable now:{' '}
              <strong className="tabular">{payable === null ? '…' : formatUsdPrecise(payable)}</strong> · to{' '}
              <span className="font-mono" title={address}>
                {shortAddress(address)}
              </span>
              {chain.data ? ` on ${chain.data.name}` : ''}. Leave the amount empty to withdraw all of it.
            </p>
            <div className="flex flex-wrap items-end gap-2">
              <div className="flex flex-col gap-1">
                <label htmlFor={`${id}-amount`} className="text-xs font-medium text-muted-foreground">
                  Amount (USDC, optional)
                </label>
                <input
                  id={`${id}-amount`}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="all of it"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
                  className="w-36 rounded-md border border-border bg-card px-2 py-1.5 text-sm"
                />
              </div>
              <Button
                type="submit"
                variant="primary"
                disabled={request.isPending || !chain.data || payable === 0n}
              >
                {request.isPending ? 'Requesting…' : 'Withdraw'}
              </Button>
            </div>
            {error ? (
              <p id={`${id}-error`} role="alert" className="text-sm text-danger">
                {error}
              </p>
            ) : null}
          </form>
          {requested ? <PayoutProgress payout={requested} /> : null}
        </>
      )}
      <PayoutHistory />
    </Card>
  );
}
