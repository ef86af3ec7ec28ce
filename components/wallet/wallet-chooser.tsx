'use client';

import { useId, useState } from 'react';
import { useConnectors, type Connector } from 'wagmi';
import { Button } from '@/components/ui/button';
import type { WalletChoice } from '@/components/wallet/use-sign-in';
import type { ChainInfo } from '@/lib/billing/schemas';
import { shortAddress } from '@/components/wallet/short-address';
import { LOCAL_TEST_WALLET_TYPE, loadWalletConnect, localTestWalletId } from '@/lib/wagmi';

/** Whether the page has an injected EIP-1193 provider (a wallet extension). Client-only component. */
function hasInjectedProvider(): boolean {
  return typeof window !== 'undefined' && 'ethereum' in window && Boolean(window.ethereum);
}

/**
 * The wallets on offer: browser wallets (each EIP-6963 wallet by name, else the one at `window.ethereum`),
 * WalletConnect when configured, and on the local chain the local test wallets.
 */
export function WalletChooser({
  chainInfo,
  action,
  disabled,
  onChoose,
}: {
  chainInfo: ChainInfo;
  /** What choosing does, for the button labels: "Sign in with" or "Connect". */
  action: string;
  disabled: boolean;
  onChoose: (choice: WalletChoice) => void;
}) {
  const connectors = useConnectors();
  const injected = connectors.filter((c) => c.type === 'injected');
  const discovered = injected.filter((c) => c.id !== 'injected');
  const browserWallets: { connector: Connector; name: string }[] =
    discovered.length > 0
      ? discovered.map((connector) => ({ connector, name: connector.name }))
      : injected
          .filter(() => hasInjectedProvider())
          .map((connector) => ({ connector, name: 'Browser wallet' }));
  const testWallets = connectors.filter((c) => c.type === LOCAL_TEST_WALLET_TYPE);
  const walletConnectProjectId = chainInfo.walletConnectProjectId;

  return (
    <div className="flex flex-col gap-4">
      <section aria-labelledby="browser-wallets" className="flex flex-col gap-2">
        <h3 id="browser-wallets" className="text-sm font-medium">
          Your wallet
        </h3>
        {browserWallets.length > 0 || walletConnectProjectId ? (
          <div className="flex flex-wrap gap-2">
            {browserWallets.map(({ connector, name }) => (
              <Button
                key={connector.uid}
                variant="primary"
                disabled={disabled}
                onClick={() => onChoose({ connector })}
              >
                {action} {name}
              </Button>
            ))}
            {walletConnectProjectId ? (
              <Button
                disabled={disabled}
                onClick={() =>
                  onChoose({
                    load: async () => {
                      const connector = await loadWalletConnect(chainInfo, window.location.origin).catch(
                        () => null,
                      );
                      if (!connector) throw new Error('WalletConnect could not be loaded in this browser.');
                      return connector;
                    },
                  })
                }
              >
                {action} WalletConnect
              </Button>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">
            No wallet extension found in this browser. Install one (MetaMask, Rabby, Coinbase Wallet, …) and
            reload this page{chainInfo.isLocal ? ', or use a local test wallet below' : ''}.
          </p>
        )}
      </section>
      {chainInfo.isLocal && testWallets.length > 0 ? (
        <LocalTestWalletPicker
          action={action}
          wallets={chainInfo.localTestWallets}
          connectors={testWallets}
          disabled={disabled}
          onChoose={onChoose}
        />
      ) : null}
    </div>
  );
}

function LocalTestWalletPicker({
  action,
  wallets,
  connectors,
  disabled,
  onChoose,
}: {
  action: string;
  wallets: ChainInfo['localTestWallets'];
  connectors: readonly Connector[];
  disabled: boolean;
  onChoose: (choice: WalletChoice) => void;
}) {
  const selectId = useId();
  const noteId = useId();
  const [selected, setSelected] = useState(wallets[0]?.address ?? '');
  const connector = connectors.find((c) => c.id === localTestWalletId(selected));
  return (
    <section
      aria-labelledby={`${selectId}-heading`}
      className="flex flex-col gap-2 rounded-md border border-dashed border-warning/60 p-3"
    >
      <h3 id={`${selectId}-heading`} className="text-sm font-medium">
        Local test wallet
      </h3>
      <p id={noteId} className="text-xs text-muted-foreground">
        A development account of the local test chain, holding test USDC with no value. Its key is public and
        the local chain signs for it, so no wallet extension is needed. It exists only on this local chain.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={selectId} className="text-xs font-medium text-muted-foreground">
            Test account
          </label>
          <select
            id={selectId}
            value={selected}
            onChange={(e) => setSelected(e.target.value)}
            className="rounded-md border border-border bg-card px-2 py-1.5 text-sm"
          >
            {wallets.map((wallet) => (
              <option key={wallet.address} value={wallet.address}>
                {wallet.label} · {shortAddress(wallet.address)}
              </option>
            ))}
          </select>
        </div>
        <Button
          disabled={disabled || !connector}
          aria-describedby={noteId}
          onClick={() => connector && onChoose({ connector })}
        >
          {action} local test wallet
        </Button>
      </div>
    </section>
  );
}
