'use client';

import { useId, useState, type FormEvent } from 'react';
import { erc20Abi, type Address } from 'viem';
import { useConnect, useConnection, useDisconnect, useReadContract } from 'wagmi';
import { DepositProgress } from '@/components/billing/deposit-progress';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { shortAddress } from '@/components/wallet/short-address';
import { useDepositFlow } from '@/components/wallet/use-deposit-flow';
import type { WalletChoice } from '@/components/wallet/use-sign-in';
import { WalletChooser } from '@/components/wallet/wallet-chooser';
import { readableError } from '@/components/wallet/wallet-errors';
import type { SessionResponse } from '@/lib/auth/schemas';
import type { ChainInfo } from '@/lib/billing/schemas';
import { formatUsd, parseUsdcToMicros } from '@/lib/money';

type Account = NonNullable<SessionResponse['account']>;

/** Signed in: send USDC from the signed-in wallet to the treasury and watch it get credited. */
export function DepositPanel({ chainInfo, account }: { chainInfo: ChainInfo; account: Account }) {
  const connection = useConnection();
  const flow = useDepositFlow(chainInfo);
  const wallet = connection.address;
  const matches = Boolean(wallet && wallet.toLowerCase() === account.address.toLowerCase());
  const walletBalance = useReadContract({
    chainId: chainInfo.chainId,
    address: chainInfo.usdcAddress as Address,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [(wallet ?? account.address) as Address],
    query: { enabled: matches },
  });
  const inProgress = flow.amountMicros !== null;

  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="font-semibold">Deposit USDC</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Sends USDC from your wallet to the Backfill treasury{' '}
          <span className="font-mono" title={chainInfo.treasuryAddress}>
            {shortAddress(chainInfo.treasuryAddress)}
          </span>{' '}
          on {chainInfo.name}. It is credited after {chainInfo.confirmations} confirmation
          {chainInfo.confirmations === 1 ? '' : 's'}, for the amount the chain records.
        </p>
      </div>
      {connection.isReconnecting || connection.isConnecting ? (
        <p role="status" className="text-sm text-muted-foreground">
          Reconnecting your wallet…
        </p>
      ) : !wallet ? (
        <ConnectWallet chainInfo={chainInfo} account={account} />
      ) : !matches ? (
        <WrongWallet wallet={wallet} account={account} />
      ) : inProgress ? (
        <DepositProgress
          flow={flow}
          onResubmit={flow.resubmit}
          onDone={() => {
            flow.reset();
            void walletBalance.refetch();
          }}
        />
      ) : (
        <DepositForm
          wallet={wallet}
          connectorName={connection.connector?.name ?? 'wallet'}
          balanceMicros={walletBalance.data ?? null}
          disabled={flow.running}
          onSubmit={(amount) => void flow.start(amount)}
        />
      )}
    </Card>
  );
}

function ConnectWallet({ chainInfo, account }: { chainInfo: ChainInfo; account: Account }) {
  const connect = useConnect();
  const [error, setError] = useState<string | null>(null);
  const choose = async (choice: WalletChoice) => {
    setError(null);
    try {
      const connector = 'connector' in choice ? choice.connector : await choice.load();
      await connect.mutateAsync({ connector, chainId: chainInfo.chainId });
    } catch (e) {
      setError(readableError(e));
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm">
        Connect the wallet you signed in with (
        <span className="font-mono" title={account.address}>
          {shortAddress(account.address)}
        </span>
        ) to deposit from it.
      </p>
      <WalletChooser
        chainInfo={chainInfo}
        action="Connect"
        disabled={connect.isPending}
        onChoose={(choice) => void choose(choice)}
      />
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function WrongWallet({ wallet, account }: { wallet: string; account: Account }) {
  const disconnect = useDisconnect();
  return (
    <div
      role="alert"
      className="flex flex-col gap-2 rounded-md border border-warning/50 bg-warning-soft p-3 text-sm"
    >
      <p className="text-warning">
        Your wallet is on <span className="font-mono">{shortAddress(wallet)}</span>, but you are signed in as{' '}
        <span className="font-mono">{shortAddress(account.address)}</span>. Deposits must come from the
        signed-in address: switch accounts in your wallet, or disconnect and connect the right one.
      </p>
      <div>
        <Button onClick={() => disconnect.mutate()}>Disconnect wallet</Button>
      </div>
    </div>
  );
}

function DepositForm({
  wallet,
  connectorName,
  balanceMicros,
  disabled,
  onSubmit,
}: {
  wallet: string;
  connectorName: string;
  balanceMicros: bigint | null;
  disabled: boolean;
  onSubmit: (amountMicros: bigint) => void;
}) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const micros = parseUsdcToMicros(text);
    if (micros === null)
      return setError('Enter an amount in USDC, such as 250 or 12.50 (at most 6 decimals).');
    if (micros <= 0n) return setError('Enter an amount greater than zero.');
    if (balanceMicros !== null && micros > balanceMicros)
      return setError(`Your wallet holds ${formatUsd(balanceMicros)} USDC, less than that.`);
    setError(null);
    onSubmit(micros);
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <p id={hintId} className="text-sm text-muted-foreground">
        From <span className="font-mono text-foreground">{shortAddress(wallet)}</span> ({connectorName})
        {balanceMicros !== null ? (
          <>
            {' '}
            · holds <span className="tabular text-foreground">{formatUsd(balanceMicros)}</span> USDC
          </>
        ) : null}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={inputId} className="text-xs font-medium text-muted-foreground">
            Amount (USDC)
          </label>
          <input
            id={inputId}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 250"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            className="w-40 rounded-md border border-border bg-card px-2 py-1.5 text-sm"
          />
        </div>
        <Button type="submit" variant="primary" disabled={disabled}>
          Deposit
        </Button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </form>
  );
}
