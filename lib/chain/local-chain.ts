import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  createPublicClient,
  getAddress,
  getContractAddress,
  createWalletClient,
  http,
  parseUnits,
  type Address,
  type Chain,
  type HDAccount,
} from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { mockUsdcAbi, mockUsdcBytecode } from '@/lib/chain/artifacts/mock-usdc';

/**
 * LOCAL DEVELOPMENT CHAIN ONLY. Anvil's well-known public test mnemonic: every key derived from it is
 * published and worthless, and must never hold real funds or be used on a real chain.
 */
export const ANVIL_DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** The development account that deploys the mock USDC and is the only one allowed to mint it. */
export const LOCAL_DEPLOYER_INDEX = 0;

const derivedDevAccounts = new Map<number, HDAccount>();

/**
 * The first development accounts: 0 deploys and mints; all are funded with test USDC. Derived once per process
 * (a derivation costs milliseconds, and requests ask for them).
 */
export function devAccount(index: number): HDAccount {
  let account = derivedDevAccounts.get(index);
  if (!account) {
    account = mnemonicToAccount(ANVIL_DEV_MNEMONIC, { addressIndex: index });
    derivedDevAccounts.set(index, account);
  }
  return account;
}

export const DEV_ACCOUNT_COUNT = 10;
/** Test USDC each development account receives on a fresh chain. */
export const DEV_USDC_EACH = parseUnits('10000', 6);

export interface LocalChain {
  rpcUrl: string;
  chain: Chain;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitForRpc(rpcUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms`);
}

/** Starts anvil (from the npm package) on 127.0.0.1. */
export async function startAnvil(options: {
  port: number;
  root?: string;
  statePath?: string;
}): Promise<LocalChain> {
  const bin = path.join(options.root ?? process.cwd(), 'node_modules', '.bin', 'anvil');
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--chain-id',
    String(foundry.id),
    '--silent',
  ];
  // Persist the chain next to the database, so deposits recorded in one survive a restart of the other.
  if (options.statePath) args.push('--state', options.statePath, '--state-interval', '10');
  const child = spawn(bin, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const rpcUrl = `http://127.0.0.1:${options.port}`;
  try {
    await waitForRpc(rpcUrl, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    rpcUrl,
    chain: foundry,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Deploys the mock USDC from development account 0 and mints test USDC to the first development accounts.
 * Each step waits for its receipt: deployed means mined, not "we have a hash".
 */
export async function deployLocalUsdc(rpcUrl: string): Promise<Address> {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport, cacheTime: 0 });
  const deployer = createWalletClient({
    account: devAccount(LOCAL_DEPLOYER_INDEX),
    chain: foundry,
    transport,
  });
  const deployHash = await deployer.deployContract({ abi: mockUsdcAbi, bytecode: mockUsdcBytecode });
  const deployed = await publicClient.waitForTransactionReceipt({ hash: deployHash });
  if (deployed.status !== 'success' || !deployed.contractAddress)
    throw new Error('mock USDC deployment failed');
  const usdc = getAddress(deployed.contractAddress);
  for (let i = 0; i < DEV_ACCOUNT_COUNT; i++) {
    const { request } = await publicClient.simulateContract({
      account: devAccount(LOCAL_DEPLOYER_INDEX),
      address: usdc,
      abi: mockUsdcAbi,
      functionName: 'mint',
      args: [devAccount(i).address, DEV_USDC_EACH],
    });
    const hash = await deployer.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`minting test USDC to account ${i} failed`);
  }
  return usdc;
}

/**
 * The mock USDC on a local chain, deployed on first use. Its address is deterministic (deployer account 0,
 * nonce 0), so a chain restored from its state file keeps the same token.
 */
export async function ensureLocalUsdc(rpcUrl: string): Promise<Address> {
  const address = getContractAddress({ from: devAccount(LOCAL_DEPLOYER_INDEX).address, nonce: 0n });
  const publicClient = createPublicClient({ chain: foundry, transport: http(rpcUrl), cacheTime: 0 });
  const code = await publicClient.getCode({ address });
  if (code && code !== '0x') return address;
  return deployLocalUsdc(rpcUrl);
}

/**
 * Mines a block every `seconds` from now on, like a real chain, so deposits visibly gather confirmations.
 * Switched on after setup: while deploying and minting, blocks are mined instantly on each transaction.
 * Anvil keeps every block's state, about 100 KiB each: a block a second is +350 MiB an hour, so a long-running
 * local chain mines with `startActivityMining` instead.
 */
export async function startIntervalMining(rpcUrl: string, seconds: number): Promise<void> {
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
  await client.request({ method: 'evm_setIntervalMining', params: [seconds] } as never);
}

export interface ActivityMining {
  stop(): void;
}

/**
 * A local chain that mines only when there is something to mine: a transaction is mined at once (anvil's
 * automine, its default), and for `trailingBlocks` blocks after the last block that held a transaction a block
 * follows every `intervalMs`, so a deposit gathers its confirmations at the pace of a real chain; an idle chain
 * mines nothing, and its memory stays flat however long it runs.
 */
export function startActivityMining(
  rpcUrl: string,
  options: { intervalMs?: number; trailingBlocks?: number } = {},
): ActivityMining {
  const intervalMs = options.intervalMs ?? 1_000;
  const trailingBlocks = BigInt(options.trailingBlocks ?? 12);
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl), cacheTime: 0 });
  let lastActive: bigint | null = null;
  let lastSeen: bigint | null = null;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const head = await client.getBlockNumber({ cacheTime: 0 });
      if (lastActive === null) lastActive = head;
      // Every block since the last look (a transaction may have been mined just before our own block).
      for (let n = lastSeen === null ? head : lastSeen + 1n; n <= head; n += 1n) {
        const block = await client.getBlock({ blockNumber: n });
        if (block.transactions.length > 0) lastActive = n;
      }
      lastSeen = head;
      if (head - lastActive < trailingBlocks)
        await client.request({ method: 'evm_mine', params: [] } as never);
    } catch {
      // The chain is restarting or stopping: the next tick tries again.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
