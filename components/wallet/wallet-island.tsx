'use client';

import { useState } from 'react';
import { cookieToInitialState, WagmiProvider } from 'wagmi';
import { DepositPanel } from '@/components/wallet/deposit-panel';
import { SignInPanel } from '@/components/wallet/sign-in-panel';
import type { SessionResponse } from '@/lib/auth/schemas';
import type { ChainInfo } from '@/lib/billing/schemas';
import { createWagmiConfig, type WagmiConfig } from '@/lib/wagmi';

let cached: { chainId: number; config: WagmiConfig } | null = null;

/** One wallet config per page load, kept across remounts so a connection survives client navigation. */
function wagmiConfigFor(chainInfo: ChainInfo): WagmiConfig {
  if (cached?.chainId !== chainInfo.chainId)
    cached = { chainId: chainInfo.chainId, config: createWagmiConfig(chainInfo) };
  return cached.config;
}

/**
 * The wallet part of the billing page, loaded only in the browser and only on that page: the sign-in panel
 * when signed out, the deposit panel when signed in. It stays mounted across sign-in, so the wallet that
 * signed in is the one that deposits.
 */
export function WalletIsland({
  chainInfo,
  account,
}: {
  chainInfo: ChainInfo;
  account: SessionResponse['account'];
}) {
  const [config] = useState(() => wagmiConfigFor(chainInfo));
  // Rendered in the browser only, so the persisted connection can be read straight from the cookie.
  const [initialState] = useState(() => cookieToInitialState(config, document.cookie));
  return (
    <WagmiProvider config={config} initialState={initialState}>
      {account ? (
        <DepositPanel chainInfo={chainInfo} account={account} />
      ) : (
        <SignInPanel chainInfo={chainInfo} />
      )}
    </WagmiProvider>
  );
}
