'use client';

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { PayoutTx, TRANSFER_OUT_NOUN, TransferOutHistory } from '@/components/billing/transfer-out-history';
import { formatMoney } from '@/lib/money';
import { payoutStateMeaning } from '@/components/supplier/labels';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { shortAddress } from '@/components/wallet/short-address';
import { StepList, type Step } from '@/components/wallet/step-list';
import type { PayoutView } from '@/lib/payouts/schemas';
import { useChainInfo } from '@/lib/queries/chain';
import { parseUsdcToMicros } from '@/lib/money';
import { useRequestTransferOut, useTransfersOut, type TransferOutKind } from '@/lib/queries/transfers-out';

const ORDER: PayoutView['state'][] = ['requested', 'signed', 'sent', 'confirmed'];

function payoutSteps(payout: PayoutView, balance: 'payable' | 'available'): Step[] {
  const stepLabel: Record<string, string> = {
    requested: `Set aside from your ${balance} balance`,
    signed: 'Signed by the treasury',
    sent: 'Broadcast to the chain',
    confirmed: 'Confirmed in your wallet',
  };
  const at = payout.state === 'failed' ? ORDER.indexOf('sent') : ORDER.indexOf(payout.state);
  return ORDER.map((state, index) => ({
    id: state,
    label: stepLabel[state] ?? state,
    status:
      payout.state === 'failed' && index === at
        ? 'failed'
        : index < at || payout.state === 'confirmed'
          ? 'done'
          : index === at
            ? 'active'
            : 'waiting',
    detail: index === at ? payoutStateMeaning(payout.state, balance) : undefined,
  }));
}

/** The payout (or withdrawal) just requested, followed until it is confirmed (or failed and returned). */
function PayoutProgress({ payout, kind }: { payout: PayoutView; kind: TransferOutKind }) {
  const { balance } = TRANSFER_OUT_NOUN[kind];
  return (
    <div className="flex flex-col gap-2 rounded-md border border-border p-3">
      <p className="text-sm">
        Withdrawing <strong className="tabular">{formatMoney(payout.amountMicros)}</strong> USDC to{' '}
        <span className="font-mono" title={payout.toAddress}>
          {shortAddress(payout.toAddress)}
        </span>
      </p>
      <StepList
        label={kind === 'payout' ? 'Payout steps' : 'Withdrawal steps'}
        steps={payoutSteps(payout, balance)}
      />
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
          ? `Confirmed: ${formatMoney(payout.amountMicros)} sent to your wallet.`
          : payout.state === 'failed'
            ? `Failed: ${payout.failureReason ?? 'the transfer did not go through'}. The amount is back in your ${balance} balance.`
            : payoutStateMeaning(payout.state, balance)}
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
 * Money to the signed-in wallet: a supplier's payable earnings (payouts) or a customer's unused balance
 * (withdrawals). The treasury signs and sends the transfer (no wallet signature is needed here); the panel
 * follows it to the chain and lists the history.
 */
export function TransferOutPanel({
  kind,
  address,
  balanceMicros,
  title,
  intro,
  actions,
}: {
  kind: TransferOutKind;
  address: string;
  /** What may be sent now (payable or available); null while it loads. */
  balanceMicros: bigint | null;
  title: string;
  intro: ReactNode;
  /** Beside the title (a CSV download). */
  actions?: ReactNode;
}) {
  const id = useId();
  const chain = useChainInfo();
  const payouts = useTransfersOut(kind);
  const request = useRequestTransferOut(kind);
  const { balance, Plural } = TRANSFER_OUT_NOUN[kind];
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ key: string; amount: string } | null>(null);
  const [requestedId, setRequestedId] = useState<string | null>(null);
  const requested =
    (payouts.data?.pages ?? []).flatMap((page) => page.items).find((p) => p.id === requestedId) ??
    (request.data?.id === requestedId ? request.data : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const amount = text.trim() === '' ? undefined : parseUsdcToMicros(text);
    if (amount === null) return setError('Enter an amount in USDC, such as 12.50 (at most 6 decimals).');
    if (amount !== undefined && amount <= 0n) return setError('Enter an amount greater than zero.');
    if (balanceMicros !== null && (balanceMicros === 0n || (amount ?? balanceMicros) > balanceMicros))
      return setError(`Your ${balance} balance is ${formatMoney(balanceMicros)}; withdraw at most that.`);
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
          <h2 className="font-semibold">{title}</h2>
          <p className="mt-1 text-sm text-muted-foreground">{intro}</p>
        </div>
        {actions}
      </div>
      {chain.error && !chain.data ? (
        <div
          role="alert"
          className="rounded-lg border border-danger/40 bg-danger-soft p-3 text-sm text-danger"
        >
          <p className="font-medium">{Plural} are not available on this server.</p>
          <p className="mt-1">{chain.error.message}</p>
        </div>
      ) : (
        <>
          {chain.data?.isLocal ? (
            <div
              role="note"
              className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning"
            >
              <strong>Local test chain.</strong> {Plural} here move test USDC on a simulated chain (
              {chain.data.name}, chain id {chain.data.chainId}); it has no value.
            </div>
          ) : null}
          <form onSubmit={submit} noValidate className="flex flex-col gap-3">
            <p id={`${id}-hint`} className="text-sm">
              {balance === 'payable' ? 'Payable' : 'Available'} now:{' '}
              <strong className="tabular">{balanceMicros === null ? '…' : formatMoney(balanceMicros)}</strong>{' '}
              · to{' '}
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
                disabled={request.isPending || !chain.data || balanceMicros === 0n}
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
          {requested ? <PayoutProgress payout={requested} kind={kind} /> : null}
        </>
      )}
      <TransferOutHistory kind={kind} />
    </Card>
  );
}
