import { AppError } from '@/lib/api/errors';
import type { ServiceContext } from '@/lib/api/context';
import type { ChainInfo } from '@/lib/billing/schemas';
import type { ChainDeps } from '@/lib/chain/deps';
import { LOCAL_TEST_WALLET_INDEXES, type ChainConfig } from '@/lib/chain/config';
import { devAccount } from '@/lib/chain/local-chain';

/** Money operations need a configured chain; without one they answer a clear error instead of failing later. */
export function requireChain(ctx: Pick<ServiceContext, 'chain'>): ChainConfig {
  if (!ctx.chain)
    throw new AppError('unprocessable', 'No chain is configured on this server (set CHAIN_RPC_URL).');
  return ctx.chain;
}

/** The database, clock and chain a money operation runs with. */
export function requireChainDeps(ctx: ServiceContext): ChainDeps {
  const chain = requireChain(ctx);
  if (!ctx.chainClient) throw new AppError('unprocessable', 'No chain client is available on this server.');
  return { db: ctx.db, clock: ctx.clock, chain, client: ctx.chainClient };
}

/** What the dashboard needs to know about the chain; never the treasury key or the node's URL. */
export function chainInfo(
  ctx: Pick<ServiceContext, 'chain'>,
  walletConnectProjectId: string | null,
): ChainInfo {
  const chain = requireChain(ctx);
  return {
    chainId: chain.chainId,
    name: chain.name,
    rpcUrl: '/api/v1/chain/rpc',
    usdcAddress: chain.usdcAddress,
    treasuryAddress: chain.treasuryAddress,
    confirmations: chain.confirmations,
    isLocal: chain.isLocal,
    explorerUrl: chain.explorerUrl,
    walletConnectProjectId,
    localTestWallets: chain.isLocal
      ? LOCAL_TEST_WALLET_INDEXES.map((index) => ({
          address: devAccount(index).address,
          label: `Local test wallet #${index}`,
        }))
      : [],
  };
}
