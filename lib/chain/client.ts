import { createPublicClient, http, type PublicClient } from 'viem';
import type { ChainConfig } from '@/lib/chain/config';

const clients = new Map<string, PublicClient>();

/**
 * A public client for the configured chain. No block-number cache: confirmations and reorg checks must see
 * the head as it is now.
 */
export function chainPublicClient(config: ChainConfig): PublicClient {
  const key = `${config.chainId}:${config.rpcUrl}`;
  let client = clients.get(key);
  if (!client) {
    client = createPublicClient({
      chain: config.chain,
      transport: http(config.rpcUrl, { retryCount: 2, timeout: 10_000 }),
      cacheTime: 0,
    }) as PublicClient;
    clients.set(key, client);
  }
  return client;
}
