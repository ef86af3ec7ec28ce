import type { Address, Chain } from 'viem';
import { base, baseSepolia, foundry } from 'viem/chains';
import {
  cookieStorage,
  createConfig,
  createStorage,
  http,
  injected,
  mock,
  type CreateConnectorFn,
} from 'wagmi';
import type { ChainInfo } from '@/lib/billing/schemas';

/**
 * Wallet configuration, created once per page in the browser from the server's `GET /api/v1/chain`. Only the
 * billing page loads this module; public pages ship no wallet code.
 */

/** Where wagmi keeps its state: a cookie, so a server render can read it back (`cookieToInitialState`). */
export const WAGMI_STORAGE_KEY = 'wagmi';

/** The same-origin JSON-RPC proxy: the browser never talks to the chain's RPC URL directly (CSP, LAN use). */
export const RPC_PROXY_PATH = '/api/v1/chain/rpc';

/** Connector type of the local test wallets, to tell them apart from real wallets in the UI. */
export const LOCAL_TEST_WALLET_TYPE = 'localTestWallet';

/** The connector id of the local test wallet for one development account. */
export function localTestWalletId(address: string): string {
  return `${LOCAL_TEST_WALLET_TYPE}:${address.toLowerCase()}`;
}

const KNOWN_CHAINS: Record<number, Chain> = {
  [foundry.id]: foundry,
  [base.id]: base,
  [baseSepolia.id]: baseSepolia,
};

/** viem's chain for the configured id, with its RPC URL pointed at our proxy (wallet connectors read it). */
export function chainFromInfo(info: ChainInfo, rpcUrl: string): Chain {
  const known = KNOWN_CHAINS[info.chainId];
  const rpcUrls = { default: { http: [rpcUrl] } };
  if (known) return { ...known, rpcUrls };
  return {
    id: info.chainId,
    name: info.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls,
  };
}

/**
 * LOCAL CHAIN ONLY: a development account of the local anvil chain as a wallet. wagmi's mock connector
 * sends signing (`personal_sign` becomes `eth_sign`) and transactions to the RPC URL — our proxy, which on the
 * local chain forwards them to anvil, where these accounts are unlocked. The account holds test USDC only.
 */
function localTestWallet(wallet: { address: Address; label: string }): CreateConnectorFn {
  const createMock = mock({ accounts: [wallet.address], features: { reconnect: true } });
  const id = localTestWalletId(wallet.address);
  // mock forgets its connection on reload; this flag lets wagmi reconnect the account the user chose.
  const connectedKey = `${id}.connected`;
  return (config) => {
    const connector = createMock(config);
    return {
      ...connector,
      id,
      name: `Local test wallet (${wallet.label})`,
      type: LOCAL_TEST_WALLET_TYPE,
      async connect(parameters) {
        const result = await connector.connect(parameters);
        await config.storage?.setItem(connectedKey, true);
        return result as never;
      },
      async disconnect() {
        await connector.disconnect();
        await config.storage?.removeItem(connectedKey);
      },
      async isAuthorized() {
        return (await config.storage?.getItem(connectedKey)) === true;
      },
    };
  };
}

/**
 * The wallet config for the configured chain: SSR-safe (cookie storage, `ssr: true`), reads through the
 * same-origin RPC proxy, and offers the browser's injected wallets (plus EIP-6963 discovery) and, on the local
 * chain only, the local test wallets. WalletConnect is added on demand by `loadWalletConnect`, so its SDK is
 * never part of the page until someone picks it.
 */
export function createWagmiConfig(info: ChainInfo, origin: string = window.location.origin) {
  const rpcUrl = new URL(RPC_PROXY_PATH, origin).toString();
  const chain = chainFromInfo(info, rpcUrl);
  const connectors: CreateConnectorFn[] = [injected()];
  if (info.isLocal) {
    for (const wallet of info.localTestWallets)
      connectors.push(localTestWallet({ address: wallet.address as Address, label: wallet.label }));
  }
  return createConfig({
    chains: [chain],
    transports: { [chain.id]: http(rpcUrl, { batch: false }) },
    connectors,
    ssr: true,
    storage: createStorage({ storage: cookieStorage, key: WAGMI_STORAGE_KEY }),
    // Deposits show their confirmations as they arrive; the local chain mines a block a second.
    pollingInterval: info.isLocal ? 500 : 2_000,
  });
}

export type WagmiConfig = ReturnType<typeof createWagmiConfig>;

/**
 * The WalletConnect connector, imported only when the user picks it (its SDK is large). Null when no
 * WalletConnect project is configured.
 */
export async function loadWalletConnect(info: ChainInfo, origin: string): Promise<CreateConnectorFn | null> {
  if (!info.walletConnectProjectId) return null;
  const { walletConnect } = await import('wagmi/connectors/walletConnect');
  return walletConnect({
    projectId: info.walletConnectProjectId,
    showQrModal: true,
    metadata: {
      name: 'Backfill',
      description: 'Deposit USDC to rent GPUs on Backfill.',
      url: origin,
      icons: [],
    },
  });
}

declare module 'wagmi' {
  interface Register {
    config: WagmiConfig;
  }
}
