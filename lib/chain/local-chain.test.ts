import { createPublicClient, createWalletClient, decodeEventLog, http, parseUnits, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockUsdcAbi, mockUsdcBytecode } from '@/lib/chain/artifacts/mock-usdc';
import { compileContract } from '@/lib/chain/compile';
import { freePort } from '@/lib/testing/free-port';
import {
  DEV_ACCOUNT_COUNT,
  DEV_USDC_EACH,
  deployLocalUsdc,
  devAccount,
  ensureLocalUsdc,
  startActivityMining,
  startAnvil,
  type ActivityMining,
  type LocalChain,
} from '@/lib/chain/local-chain';

describe('mock USDC artifact', () => {
  it('is exactly what the committed Solidity source compiles to', () => {
    const compiled = compileContract('MockUSDC.sol', 'MockUSDC');
    expect(compiled.bytecode).toBe(mockUsdcBytecode);
    expect(compiled.abi).toEqual(mockUsdcAbi);
  });
});

describe('local chain', () => {
  let chain: LocalChain;
  let usdc: Address;

  beforeAll(async () => {
    chain = await startAnvil({ port: await freePort() });
    usdc = await deployLocalUsdc(chain.rpcUrl);
  });
  afterAll(() => chain?.stop());

  const client = () =>
    createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl), cacheTime: 0 });

  it('deploys a 6-decimal USDC and funds every development account', async () => {
    const publicClient = client();
    expect(
      await publicClient.readContract({ address: usdc, abi: mockUsdcAbi, functionName: 'decimals' }),
    ).toBe(6);
    for (let i = 0; i < DEV_ACCOUNT_COUNT; i++) {
      const balance = await publicClient.readContract({
        address: usdc,
        abi: mockUsdcAbi,
        functionName: 'balanceOf',
        args: [devAccount(i).address],
      });
      expect(balance).toBe(DEV_USDC_EACH);
    }
  });

  it('transfers emit the Transfer log a deposit is read from, and overdrafts revert', async () => {
    const publicClient = client();
    const sender = createWalletClient({
      account: devAccount(1),
      chain: chain.chain,
      transport: http(chain.rpcUrl),
    });
    const amount = parseUnits('250', 6);
    const hash = await sender.writeContract({
      address: usdc,
      abi: mockUsdcAbi,
      functionName: 'transfer',
      args: [devAccount(2).address, amount],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    const [log] = receipt.logs;
    const event = decodeEventLog({ abi: mockUsdcAbi, data: log?.data, topics: log?.topics ?? [] });
    expect(event).toMatchObject({
      eventName: 'Transfer',
      args: { from: devAccount(1).address, to: devAccount(2).address, value: amount },
    });
    await expect(
      publicClient.simulateContract({
        account: devAccount(3),
        address: usdc,
        abi: mockUsdcAbi,
        functionName: 'transfer',
        args: [devAccount(2).address, DEV_USDC_EACH + 1n],
      }),
    ).rejects.toThrow(/InsufficientBalance/);
  });

  it('finds the deployed token at its deterministic address instead of deploying again', async () => {
    const deployer = devAccount(0).address;
    const nonce = await client().getTransactionCount({ address: deployer });
    expect(await ensureLocalUsdc(chain.rpcUrl)).toBe(usdc);
    expect(await client().getTransactionCount({ address: deployer })).toBe(nonce);
  });

  it('lets only the deployer mint', async () => {
    await expect(
      client().simulateContract({
        account: devAccount(5),
        address: usdc,
        abi: mockUsdcAbi,
        functionName: 'mint',
        args: [devAccount(5).address, 1n],
      }),
    ).rejects.toThrow(/NotMinter/);
  });
});

describe('a local chain mining on activity', () => {
  let chain: LocalChain;
  let mining: ActivityMining | undefined;

  beforeAll(async () => {
    chain = await startAnvil({ port: await freePort() });
  });
  afterAll(() => {
    mining?.stop();
    return chain?.stop();
  });

  it('mines a transaction at once, follows it with a few blocks, then mines nothing while idle', async () => {
    const client = createPublicClient({ chain: chain.chain, transport: http(chain.rpcUrl), cacheTime: 0 });
    const head = () => client.getBlockNumber({ cacheTime: 0 });
    const TRAILING = 3;
    mining = startActivityMining(chain.rpcUrl, { intervalMs: 50, trailingBlocks: TRAILING });
    const start = await head();
    // The blocks after start-up, then quiet: the head stops moving.
    await expect.poll(head, { timeout: 10_000 }).toBe(start + BigInt(TRAILING));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await head()).toBe(start + BigInt(TRAILING));

    const wallet = createWalletClient({
      account: devAccount(1),
      chain: chain.chain,
      transport: http(chain.rpcUrl),
    });
    const hash = await wallet.sendTransaction({ to: devAccount(2).address, value: 1n });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    // Confirmations follow the transaction's block, then the chain is idle again.
    await expect.poll(head, { timeout: 10_000 }).toBe(receipt.blockNumber + BigInt(TRAILING));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await head()).toBe(receipt.blockNumber + BigInt(TRAILING));
  });
});
