'use client';

import { useConnection, useDisconnect } from 'wagmi';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { shortAddress } from '@/components/wallet/short-address';
import { StepList, type Step } from '@/components/wallet/step-list';
import { useSignIn, type SignInStepId } from '@/components/wallet/use-sign-in';
import { WalletChooser } from '@/components/wallet/wallet-chooser';
import type { ChainInfo } from '@/lib/billing/schemas';

const ORDER: SignInStepId[] = ['connect', 'network', 'sign', 'verify'];

const UNDER_WAY: Record<SignInStepId, string> = {
  connect: 'Approve the connection in your wallet…',
  network: 'Switching your wallet to the right network…',
  sign: 'Sign the message in your wallet. It costs nothing and sends no transaction.',
  verify: 'Checking the signature…',
};

function signInSteps(chainName: string, current: SignInStepId | null, failed: SignInStepId | null): Step[] {
  const labels: Record<SignInStepId, string> = {
    connect: 'Connect your wallet',
    network: `Use ${chainName}`,
    sign: 'Sign the sign-in message',
    verify: 'Open your session',
  };
  const at = ORDER.indexOf(current ?? failed ?? 'connect');
  return ORDER.map((id, index) => ({
    id,
    label: labels[id],
    status:
      index < at
        ? 'done'
        : index > at
          ? 'waiting'
          : id === failed
            ? 'failed'
            : current
              ? 'active'
              : 'waiting',
    detail: id === current ? UNDER_WAY[id] : undefined,
  }));
}

/** Signed out: pick a wallet, connect, sign one message, and the session starts. */
export function SignInPanel({ chainInfo }: { chainInfo: ChainInfo }) {
  const connection = useConnection();
  const disconnect = useDisconnect();
  const { step, failed, running, signIn } = useSignIn(chainInfo);
  const connected = connection.isConnected && connection.address ? connection.address : null;

  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="font-semibold">Sign in with your wallet</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Your Backfill account is your wallet address. Signing in asks your wallet to sign a short message —
          no transaction, no fee. Deposits are then made from the same address.
        </p>
      </div>

      {connected ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm">
            Wallet connected:{' '}
            <span className="font-mono" title={connected}>
              {shortAddress(connected)}
            </span>
            {connection.connector ? ` (${connection.connector.name})` : null}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="primary" disabled={running} onClick={() => void signIn()}>
              Sign in as {shortAddress(connected)}
            </Button>
            <Button disabled={running} onClick={() => disconnect.mutate()}>
              Use another wallet
            </Button>
          </div>
        </div>
      ) : (
        <WalletChooser
          chainInfo={chainInfo}
          action="Sign in with"
          disabled={running || connection.isReconnecting || connection.isConnecting}
          onChoose={(choice) => void signIn(choice)}
        />
      )}

      {running || failed ? (
        <StepList label="Sign-in steps" steps={signInSteps(chainInfo.name, step, failed?.step ?? null)} />
      ) : null}
      <p role="status" className="sr-only">
        {step ? UNDER_WAY[step] : null}
      </p>
      {failed ? (
        <div
          role="alert"
          className="rounded-md border border-danger/40 bg-danger-soft p-3 text-sm text-danger"
        >
          <p className="font-medium">Sign-in did not complete.</p>
          <p className="mt-1">{failed.message}</p>
        </div>
      ) : null}
    </Card>
  );
}
