import { describe, expect, it } from 'vitest';
import type { ChainInfo } from '@/lib/billing/schemas';
import { LOCAL_TEST_WALLET_TYPE, RPC_PROXY_PATH, createWagmiConfig } from '@/lib/wagmi';

function chainInfo(overrides: Partial<ChainInfo> = {}): ChainInfo {
  return {
    chainId: 31337,
    name: 'Local chain (anvil)',
    rpcUrl: RPC_PROXY_PATH,
    usdcAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    treasuryAddress: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
    confirmations: 2,
    isLocal: true,
    explorerUrl: null,
    walletConnectProjectId: null,
    localTestWallets: [
      { address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', label: 'Local test wallet #1' },
      { address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', label: 'Local test wallet #2' },
    ],
    ...overrides,
  };
}

const ORIGIN = 'http://dashboard.test:3000';

describe('createWagmiConfig', () => {
  it('reads the chain through the same-origin RPC proxy, never the node URL', () => {
    const config = createWagmiConfig(chainInfo(), ORIGIN);
    expect(config.chains.map((c) => c.id)).toEqual([31337]);
    expect(config.chains[0].rpcUrls.default.http).toEqual([`${ORIGIN}${RPC_PROXY_PATH}`]);
  });

  it('offers the local test wallets, labelled, only on the local chain', () => {
    const local = createWagmiConfig(chainInfo(), ORIGIN);
    const testWallets = local.connectors.filter((c) => c.type === LOCAL_TEST_WALLET_TYPE);
    expect(testWallets.map((c) => c.name)).toEqual([
      'Local test wallet (Local test wallet #1)',
      'Local test wallet (Local test wallet #2)',
    ]);
    expect(local.connectors.some((c) => c.type === 'injected')).toBe(true);

    const base = createWagmiConfig(
      chainInfo({ chainId: 8453, name: 'Base', isLocal: false, explorerUrl: 'https://basescan.org' }),
      ORIGIN,
    );
    expect(base.chains[0].name).toBe('Base');
    expect(base.connectors.filter((c) => c.type === LOCAL_TEST_WALLET_TYPE)).toEqual([]);
  });

  it('does not bundle WalletConnect into the config (it is loaded when picked)', () => {
    const config = createWagmiConfig(chainInfo({ walletConnectProjectId: 'abc' }), ORIGIN);
    expect(config.connectors.some((c) => c.id === 'walletConnect')).toBe(false);
  });
});
