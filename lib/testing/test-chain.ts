import { randomBytes } from 'node:crypto';
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  http,
  numberToHex,
  parseEther,
  type Account,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { mockUsdcAbi, mockUsdcBytecode } from '@/lib/chain/artifacts/mock-usdc';
import { LOCAL_TREASURY_INDEX, type ChainConfig } from '@/lib/chain/config';
import { deployLocalUsdc, devAccount, startAnvil, type LocalChain } from '@/lib/chain/local-chain';
import type { Db } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import { freePort } from '@/lib/testing/free-port';

/**
 * TESTS ONLY. A fresh anvil on a free port (mining only on transactions, so tests decide when blocks come)
 * with the mock USDC deployed, the configuration the deposit and payout code reads, and helpers to move
 * test money. Development keys only.
 */
export interface TestChain {
  anvil: LocalChain;
  usdc: Address;
  client: PublicClient;
  config: ChainConfig;
  /** A raw JSON-RPC call (anvil's evm_* and anvil_* methods). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  mine(blocks?: number): Promise<void>;
  /** A new random wallet with gas money and `usdcMicros` of the mock USDC. */
  fundedWallet(usdcMicros: bigint): Promise<PrivateKeyAccount>;
  /** Sends a token transfer and waits until it is mined (reverted or not). */
  transfer(
    from: Account,
    to: Address,
    amountMicros: bigint,
    options?: { token?: Address; gas?: bigint },
  ): Promise<TransactionReceipt>;
  /** Signs (without sending) a USDC transfer, so a test can broadcast the very same transaction again. */
  signTransfer(
    from: PrivateKeyAccount,
    to: Address,
    amountMicros: bigint,
    priorityFee?: bigint,
  ): Promise<Hex>;
  /** Broadcasts a signed transaction without waiting for it to be mined. */
  sendRaw(raw: Hex): Promise<Hash>;
  /** Deploys another token from the same artifact: a look-alike of USDC at another address. */
  deployLookAlike(): Promise<Address>;
  mint(token: Address, to: Address, amountMicros: bigint): Promise<void>;
  balanceOf(owner: Address, token?: Address): Promise<bigint>;
  stop(): Promise<void>;
}

export async function startTestChain(options: { confirmations?: number } = {}): Promise<TestChain> {
  const anvil = await startAnvil({ port: await freePort() });
  const usdc = await deployLocalUsdc(anvil.rpcUrl);
  const transport = http(anvil.rpcUrl);
  const client = createPublicClient({ chain: anvil.chain, transport, cacheTime: 0 });
  const deployer = createWalletClient({ account: devAccount(0), chain: anvil.chain, transport });
  const treasury = devAccount(LOCAL_TREASURY_INDEX);
  const config: ChainConfig = {
    chain: anvil.chain,
    chainId: anvil.chain.id,
    name: 'Local chain (anvil)',
    rpcUrl: anvil.rpcUrl,
    usdcAddress: usdc,
    treasuryAddress: treasury.address,
    treasuryAccount: treasury,
    confirmations: options.confirmations ?? 3,
    isLocal: true,
    explorerUrl: null,
  };
  const rpc = (method: string, params: unknown[] = []) =>
    client.request({ method, params } as unknown as Parameters<typeof client.request>[0]) as Promise<unknown>;

  const waitMined = async (hash: Hash) => client.waitForTransactionReceipt({ hash, pollingInterval: 50 });

  const mint = async (token: Address, to: Address, amountMicros: bigint) => {
    const hash = await deployer.writeContract({
      address: token,
      abi: mockUsdcAbi,
      functionName: 'mint',
      args: [to, amountMicros],
    });
    const receipt = await waitMined(hash);
    if (receipt.status !== 'success') throw new Error('mint failed');
  };

  return {
    anvil,
    usdc,
    client,
    config,
    rpc,
    async mine(blocks = 1) {
      await rpc('anvil_mine', [numberToHex(blocks)]);
    },
    async fundedWallet(usdcMicros) {
      const account = privateKeyToAccount(generatePrivateKey());
      await rpc('anvil_setBalance', [account.address, numberToHex(parseEther('10'))]);
      if (usdcMicros > 0n) await mint(usdc, account.address, usdcMicros);
      return account;
    },
    async transfer(from, to, amountMicros, opts = {}) {
      const wallet = createWalletClient({ account: from, chain: anvil.chain, transport });
      const hash = await wallet.writeContract({
        address: opts.token ?? usdc,
        abi: mockUsdcAbi,
        functionName: 'transfer',
        args: [to, amountMicros],
        ...(opts.gas ? { gas: opts.gas } : {}),
      });
      return waitMined(hash);
    },
    async signTransfer(from, to, amountMicros, priorityFee) {
      const wallet = createWalletClient({ account: from, chain: anvil.chain, transport });
      const request = await wallet.prepareTransactionRequest({
        to: usdc,
        data: encodeFunctionData({ abi: mockUsdcAbi, functionName: 'transfer', args: [to, amountMicros] }),
        ...(priorityFee ? { maxPriorityFeePerGas: priorityFee, maxFeePerGas: priorityFee * 10n } : {}),
      });
      return wallet.signTransaction(request);
    },
    sendRaw(raw) {
      return client.sendRawTransaction({ serializedTransaction: raw });
    },
    async deployLookAlike() {
      const hash = await deployer.deployContract({ abi: mockUsdcAbi, bytecode: mockUsdcBytecode });
      const receipt = await waitMined(hash);
      if (!receipt.contractAddress) throw new Error('look-alike deployment failed');
      return getAddress(receipt.contractAddress);
    },
    mint,
    balanceOf(owner, token = usdc) {
      return client.readContract({
        address: token,
        abi: mockUsdcAbi,
        functionName: 'balanceOf',
        args: [owner],
      });
    },
    stop: () => anvil.stop(),
  };
}

/** TESTS ONLY. A marketplace account for a wallet (a random one when omitted). */
export async function createAccount(db: Db, wallet?: Address): Promise<string> {
  const walletAddress = (wallet ?? `0x${randomBytes(20).toString('hex')}`).toLowerCase();
  const [row] = await db.insert(accounts).values({ walletAddress }).returning({ id: accounts.id });
  if (!row) throw new Error('account insert failed');
  return row.id;
}
