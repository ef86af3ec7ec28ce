'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { erc20Abi, type Address, type Hex } from 'viem';
import { useConfig } from 'wagmi';
import {
  getConnection,
  simulateContract,
  switchChain,
  waitForTransactionReceipt,
  writeContract,
} from 'wagmi/actions';
import { readableError } from '@/components/wallet/wallet-errors';
import type { ChainInfo } from '@/lib/billing/schemas';
import { useSubmitDeposit } from '@/lib/queries/deposits';
import { queryKeys } from '@/lib/queries/keys';

/** The wallet-side steps of a deposit; confirmations and crediting are then read from the server. */
export type DepositStepId = 'check' | 'approve' | 'mine' | 'submit';

export interface DepositFlowState {
  amountMicros: bigint | null;
  step: DepositStepId | null;
  failed: { step: DepositStepId; message: string } | null;
  txHash: Hex | null;
  /** Set once the server has recorded the deposit; from then on its state is polled. */
  depositId: string | null;
}

const IDLE: DepositFlowState = {
  amountMicros: null,
  step: null,
  failed: null,
  txHash: null,
  depositId: null,
};

/**
 * A USDC deposit: simulate `transfer(treasury, amount)`, have the wallet send it, wait for the receipt, then
 * hand the hash to the server, which reads the amount from the chain and credits it after enough
 * confirmations. A hash alone is never "confirmed".
 */
export function useDepositFlow(chainInfo: ChainInfo) {
  const config = useConfig();
  const queryClient = useQueryClient();
  const { mutateAsync: submitDeposit } = useSubmitDeposit();
  const [state, setState] = useState<DepositFlowState>(IDLE);

  const submit = useCallback(
    async (txHash: Hex, amountMicros: bigint) => {
      setState((s) => ({ ...s, step: 'submit', failed: null }));
      try {
        const deposit = await submitDeposit({
          chainId: chainInfo.chainId,
          txHash,
          expectedAmountMicros: amountMicros.toString(),
        });
        queryClient.setQueryData(queryKeys.account.deposits.detail(deposit.id), deposit);
        void queryClient.invalidateQueries({ queryKey: queryKeys.account.deposits.list });
        setState((s) => ({ ...s, step: null, depositId: deposit.id }));
      } catch (error) {
        setState((s) => ({ ...s, step: null, failed: { step: 'submit', message: readableError(error) } }));
      }
    },
    [chainInfo.chainId, queryClient, submitDeposit],
  );

  const start = useCallback(
    async (amountMicros: bigint) => {
      let step: DepositStepId = 'check';
      const enter = (next: DepositStepId) => {
        step = next;
        setState((s) => ({ ...s, step: next }));
      };
      setState({ ...IDLE, amountMicros, step: 'check' });
      try {
        const account = getConnection(config).address;
        if (!account) throw new Error('Connect your wallet first.');
        if (getConnection(config).chainId !== chainInfo.chainId)
          await switchChain(config, { chainId: chainInfo.chainId });
        const { request } = await simulateContract(config, {
          chainId: chainInfo.chainId,
          account,
          address: chainInfo.usdcAddress as Address,
          abi: erc20Abi,
          functionName: 'transfer',
          args: [chainInfo.treasuryAddress as Address, amountMicros],
        });

        enter('approve');
        const txHash = await writeContract(config, request);
        setState((s) => ({ ...s, txHash }));

        enter('mine');
        const receipt = await waitForTransactionReceipt(config, { chainId: chainInfo.chainId, hash: txHash });
        if (receipt.status !== 'success')
          throw new Error('The transfer was reverted on-chain; no USDC moved.');
        await submit(txHash, amountMicros);
      } catch (error) {
        setState((s) => ({ ...s, step: null, failed: { step, message: readableError(error) } }));
      }
    },
    [chainInfo, config, submit],
  );

  /** Sends the same transaction hash to the server again (after a network error or a 429). */
  const resubmit = useCallback(() => {
    if (state.txHash && state.amountMicros !== null) void submit(state.txHash, state.amountMicros);
  }, [state.txHash, state.amountMicros, submit]);

  const reset = useCallback(() => setState(IDLE), []);

  return { ...state, running: state.step !== null, start, resubmit, reset };
}
