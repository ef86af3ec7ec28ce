'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ConfirmationBar } from '@/components/billing/confirmation-bar';
import { rejectionText } from '@/components/billing/deposit-labels';
import { Button } from '@/components/ui/button';
import { shortHash } from '@/components/wallet/short-address';
import { StepList, type Step, type StepStatus } from '@/components/wallet/step-list';
import type { DepositFlowState, DepositStepId } from '@/components/wallet/use-deposit-flow';
import type { DepositView } from '@/lib/deposits/schemas';
import { useDeposit } from '@/lib/queries/deposits';
import { queryKeys } from '@/lib/queries/keys';
import { formatUsd } from '@/lib/money';

const WALLET_STEPS: { id: DepositStepId; label: string; underWay: string }[] = [
  { id: 'check', label: 'Check the transfer', underWay: 'Simulating the USDC transfer…' },
  { id: 'approve', label: 'Approve it in your wallet', underWay: 'Confirm the transfer in your wallet.' },
  { id: 'mine', label: 'Wait for it to be mined', underWay: 'Waiting for the transaction to be mined…' },
  { id: 'submit', label: 'Hand it to Backfill', underWay: 'Telling Backfill about the transaction…' },
];

function walletStepStatus(flow: DepositFlowState, index: number): StepStatus {
  if (flow.depositId) return 'done';
  const current = flow.step ?? flow.failed?.step ?? null;
  const at = current ? WALLET_STEPS.findIndex((s) => s.id === current) : -1;
  if (index < at) return 'done';
  if (index > at) return 'waiting';
  return flow.step ? 'active' : 'failed';
}

function steps(flow: DepositFlowState, deposit: DepositView | undefined): Step[] {
  const wallet: Step[] = WALLET_STEPS.map((step, index) => {
    const status = walletStepStatus(flow, index);
    const detail =
      step.id === 'mine' && flow.txHash ? (
        <span title={flow.txHash}>Transaction {shortHash(flow.txHash)}</span>
      ) : status === 'active' ? (
        step.underWay
      ) : undefined;
    return { id: step.id, label: step.label, status, detail };
  });
  const confirmed = deposit ? deposit.confirmations >= deposit.confirmationsRequired : false;
  const settledBad = deposit?.state === 'rejected' || deposit?.state === 'unattributed';
  const confirm: Step = {
    id: 'confirm',
    label: 'Gather confirmations',
    status: !deposit
      ? 'waiting'
      : deposit.state === 'credited' || deposit.state === 'confirmed' || confirmed
        ? 'done'
        : settledBad
          ? 'waiting'
          : 'active',
    detail: deposit ? (
      <ConfirmationBar confirmations={deposit.confirmations} required={deposit.confirmationsRequired} />
    ) : undefined,
  };
  const credit: Step = {
    id: 'credit',
    label: 'Credit your balance',
    status: deposit?.state === 'credited' ? 'done' : settledBad ? 'failed' : 'waiting',
  };
  return [...wallet, confirm, credit];
}

/** The deposit under way: each step, the confirmations as they arrive, then "Credited" or why not. */
export function DepositProgress({
  flow,
  onResubmit,
  onDone,
}: {
  flow: DepositFlowState;
  onResubmit: () => void;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const { data: deposit, error } = useDeposit(flow.depositId);
  const state = deposit?.state;

  useEffect(() => {
    if (state !== 'credited' && state !== 'rejected') return;
    void queryClient.invalidateQueries({ queryKey: queryKeys.account.deposits.list });
    if (state === 'credited') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.balance });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.ledger.all });
    }
  }, [state, queryClient]);

  const finished = state === 'credited' || state === 'rejected' || state === 'unattributed';
  const status =
    state === 'credited'
      ? `Credited: ${formatUsd(deposit?.amountMicros ?? '0')} added to your available balance.`
      : state === 'rejected'
        ? `${rejectionText(deposit ?? { rejection: null })}. Nothing was added to your balance.`
        : state === 'unattributed'
          ? 'The transfer came from a wallet not linked to an account; it was not credited.'
          : flow.depositId
            ? 'Waiting for confirmations…'
            : '';

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm">
        Depositing <strong className="tabular">{formatUsd(flow.amountMicros ?? 0n)}</strong> USDC
      </p>
      <StepList label="Deposit steps" steps={steps(flow, deposit)} />
      <p
        role="status"
        className={
          state === 'credited'
            ? 'font-medium text-success'
            : state === 'rejected' || state === 'unattributed'
              ? 'font-medium text-danger'
              : 'sr-only'
        }
      >
        {status}
      </p>
      {flow.failed ? (
        <div
          role="alert"
          className="rounded-md border border-danger/40 bg-danger-soft p-3 text-sm text-danger"
        >
          <p className="font-medium">The deposit did not complete.</p>
          <p className="mt-1">{flow.failed.message}</p>
          {flow.failed.step === 'submit' && flow.txHash ? (
            <p className="mt-1">
              The transfer is on the chain; send it to Backfill again, or it will be picked up from the chain.
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-danger">
          Could not read the deposit: {error.message} Retrying…
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {flow.failed?.step === 'submit' && flow.txHash ? (
          <Button variant="primary" onClick={onResubmit}>
            Send to Backfill again
          </Button>
        ) : null}
        {finished || flow.failed ? (
          <Button onClick={onDone}>{finished ? 'Make another deposit' : 'Start over'}</Button>
        ) : null}
      </div>
    </div>
  );
}
