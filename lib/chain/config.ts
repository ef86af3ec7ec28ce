import { getAddress, type Account, type Address, type Chain } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { base, baseSepolia, foundry } from 'viem/chains';
import { devAccount } from '@/lib/chain/local-chain';
import { serverEnv, type ServerEnv } from '@/lib/env';

/** The chains Backfill accepts money on: the allow-list for sign-in, deposits and payouts. */
export const SUPPORTED_CHAINS = {
  [foundry.id]: { chain: foundry, name: 'Local chain (anvil)', explorer: null, confirmations: 2 },
  [base.id]: { chain: base, name: 'Base', explorer: 'https://basescan.org', confirmations: 12 },
  [baseSepolia.id]: {
    chain: baseSepolia,
    name: 'Base Sepolia',
    explorer: 'https://sepolia.basescan.org',
    confirmations: 12,
  },
} as const satisfies Record<
  number,
  { chain: Chain; name: string; explorer: string | null; confirmations: number }
>;

export type SupportedChainId = keyof typeof SUPPORTED_CHAINS;

/** LOCAL CHAIN ONLY: the development account that acts as the treasury of the embedded stack. */
export const LOCAL_TREASURY_INDEX = 9;
/** LOCAL CHAIN ONLY: development accounts offered as "local test wallets" (0 deploys, 9 is the treasury). */
export const LOCAL_TEST_WALLET_INDEXES = [1, 2, 3, 4, 5, 6, 7, 8] as const;

export interface ChainConfig {
  chain: Chain;
  chainId: number;
  name: string;
  rpcUrl: string;
  usdcAddress: Address;
  treasuryAddress: Address;
  /** Signs payouts; null when no key is configured (payouts are then refused). Server-only. */
  treasuryAccount: Account | null;
  confirmations: number;
  /** The embedded anvil chain: test money, development keys, a local test wallet. */
  isLocal: boolean;
  explorerUrl: string | null;
}

export class ChainConfigError extends Error {}

function isSupported(chainId: number): chainId is SupportedChainId {
  return chainId in SUPPORTED_CHAINS;
}

/** The configured chain, or null when none is configured (the API then refuses money operations). */
export function chainConfigFrom(env: ServerEnv): ChainConfig | null {
  if (!env.CHAIN_RPC_URL) return null;
  const chainId = env.CHAIN_ID;
  if (chainId === undefined) throw new ChainConfigError('CHAIN_ID is required with CHAIN_RPC_URL.');
  if (!isSupported(chainId))
    throw new ChainConfigError(
      `CHAIN_ID ${chainId} is not supported; use one of ${Object.keys(SUPPORTED_CHAINS).join(', ')}.`,
    );
  if (!env.USDC_ADDRESS) throw new ChainConfigError('USDC_ADDRESS is required with CHAIN_RPC_URL.');
  const known = SUPPORTED_CHAINS[chainId];
  const isLocal = chainId === foundry.id;
  const treasuryAccount: Account | null = env.TREASURY_PRIVATE_KEY
    ? privateKeyToAccount(env.TREASURY_PRIVATE_KEY as `0x${string}`)
    : isLocal
      ? devAccount(LOCAL_TREASURY_INDEX)
      : null;
  const configuredTreasury = env.TREASURY_ADDRESS ? getAddress(env.TREASURY_ADDRESS) : null;
  if (configuredTreasury && treasuryAccount && configuredTreasury !== treasuryAccount.address)
    throw new ChainConfigError('TREASURY_ADDRESS does not match TREASURY_PRIVATE_KEY.');
  const treasuryAddress = configuredTreasury ?? treasuryAccount?.address;
  if (!treasuryAddress)
    throw new ChainConfigError('TREASURY_ADDRESS (or TREASURY_PRIVATE_KEY) is required on a real chain.');
  return {
    chain: { ...known.chain, rpcUrls: { default: { http: [env.CHAIN_RPC_URL] } } },
    chainId,
    name: known.name,
    rpcUrl: env.CHAIN_RPC_URL,
    usdcAddress: getAddress(env.USDC_ADDRESS),
    treasuryAddress,
    treasuryAccount,
    confirmations: env.CHAIN_CONFIRMATIONS ?? known.confirmations,
    isLocal,
    explorerUrl: known.explorer,
  };
}

let cached: ChainConfig | null | undefined;

/** The chain of this process's configuration (cached). */
export function chainConfig(): ChainConfig | null {
  if (cached === undefined) cached = chainConfigFrom(serverEnv());
  return cached;
}

/** A transaction's page on the chain's explorer; null on the local chain, which has none. */
export function explorerTxUrl(config: Pick<ChainConfig, 'explorerUrl'>, txHash: string): string | null {
  return config.explorerUrl ? `${config.explorerUrl}/tx/${txHash}` : null;
}
