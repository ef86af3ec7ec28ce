import type { PublicClient } from 'viem';
import { appContext } from '@/lib/app-context';
import { webConfig, type WebConfig } from '@/lib/auth/web-config';
import { chainPublicClient } from '@/lib/chain/client';
import { chainConfig, type ChainConfig } from '@/lib/chain/config';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { serverBlobStore } from '@/lib/storage/server-store';
import type { BlobStore } from '@/lib/storage/store';

/** Everything a route handler may use: the database, the clock, the chain, the web settings and the blob store. */
export interface ServiceContext {
  db: Db;
  clock: Clock;
  simulated: boolean;
  chain: ChainConfig | null;
  chainClient: PublicClient | null;
  web: WebConfig;
  /** Job inputs, outputs and checkpoints (lib/storage). */
  storage: BlobStore;
}

type Provider = () => Promise<ServiceContext>;

async function defaultProvider(): Promise<ServiceContext> {
  const { db, clock, simulated } = await appContext();
  const chain = chainConfig();
  return {
    db,
    clock,
    simulated,
    chain,
    chainClient: chain ? chainPublicClient(chain) : null,
    web: webConfig(),
    storage: serverBlobStore(clock),
  };
}

let provider: Provider = defaultProvider;

export function serviceContext(): Promise<ServiceContext> {
  return provider();
}

/** Tests run the real route modules against their own database, clock and chain. */
export function provideServiceContext(next: Provider | null): void {
  provider = next ?? defaultProvider;
}
