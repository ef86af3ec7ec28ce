import type { BrowserContext } from '@playwright/test';
import { createPublicClient, createWalletClient, erc20Abi, http } from 'viem';
import { foundry } from 'viem/chains';

/**
 * LOCAL TEST CHAIN ONLY. A browser wallet for the e2e suite: an EIP-1193 provider injected as
 * `window.ethereum` and announced through EIP-6963, answering for one of anvil's development accounts
 * (mnemonic "test … junk"; their keys are public). Accounts and chain id are answered in the page; every
 * other request goes to anvil through a function exposed from Node, so the page's CSP (connect-src 'self')
 * never sees it. Anvil signs `personal_sign` and sends `eth_sendTransaction` for its unlocked accounts.
 */

/** The e2e server's local chain: `LOCAL_CHAIN_PORT` of the web server in playwright.config.ts. */
export const ANVIL_URL = `http://127.0.0.1:${process.env.E2E_LOCAL_CHAIN_PORT ?? '8645'}`;

/** Anvil's development accounts 1–8 (0 deploys the mock USDC, 9 is the treasury). */
export const DEV_ACCOUNTS = {
  1: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  2: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  3: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  4: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  5: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  6: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  7: '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  8: '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
} as const satisfies Record<number, `0x${string}`>;

export type DevAccount = (typeof DEV_ACCOUNTS)[keyof typeof DEV_ACCOUNTS];

/** The name the injected wallet announces itself with (EIP-6963), as the wallet buttons show it. */
export const TEST_WALLET_NAME = 'E2E Test Wallet';

const LOCAL_CHAIN_ID_HEX = '0x7a69'; // 31337

type RpcAnswer = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

let requestId = 0;

/** One JSON-RPC call to anvil from Node. */
export async function anvilRpc(method: string, params: unknown[] = [], url = ANVIL_URL): Promise<RpcAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++requestId, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
  return body.error ? { error: body.error } : { result: body.result };
}

interface WalletOptions {
  address: DevAccount;
  /** Answer `personal_sign` with a user rejection (EIP-1193 code 4001), as a person clicking "Reject" would. */
  rejectSignatures?: boolean;
}

/** The page side of the wallet. Serialised into the page by `addInitScript`: it may use nothing from here. */
function installProvider(options: {
  address: string;
  chainId: string;
  name: string;
  rejectSignatures: boolean;
}) {
  type Listener = (...args: unknown[]) => void;
  /** The site's permission to see the account, remembered per origin as a wallet does. */
  const AUTHORIZED = 'backfill-e2e-wallet:authorized';
  const listeners = new Map<string, Set<Listener>>();
  // Read at call time: the exposed function is bound by Playwright, not by this script.
  const forward = (method: string, params: unknown[]) =>
    (
      window as unknown as { __backfillE2eRpc: (m: string, p: unknown[]) => Promise<RpcAnswer> }
    ).__backfillE2eRpc(method, params);
  const rpcError = (code: number, message: string, data?: unknown) =>
    Object.assign(new Error(message), { code, data });

  const provider = {
    isBackfillE2eWallet: true,
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      switch (method) {
        case 'eth_requestAccounts':
          localStorage.setItem(AUTHORIZED, '1');
          return [options.address];
        case 'eth_accounts':
          // Like a real wallet: no accounts for a site until it has asked for them.
          return localStorage.getItem(AUTHORIZED) ? [options.address] : [];
        case 'eth_chainId':
          return options.chainId;
        case 'net_version':
          return String(parseInt(options.chainId, 16));
        case 'wallet_requestPermissions':
          localStorage.setItem(AUTHORIZED, '1');
          return [
            {
              parentCapability: 'eth_accounts',
              caveats: [{ type: 'restrictReturnedAccounts', value: [options.address] }],
            },
          ];
        case 'wallet_getPermissions':
          if (!localStorage.getItem(AUTHORIZED)) return [];
          return [
            {
              parentCapability: 'eth_accounts',
              caveats: [{ type: 'restrictReturnedAccounts', value: [options.address] }],
            },
          ];
        case 'wallet_revokePermissions':
          localStorage.removeItem(AUTHORIZED);
          return null;
        case 'wallet_switchEthereumChain': {
          const wanted = (params?.[0] as { chainId?: string } | undefined)?.chainId?.toLowerCase();
          if (wanted === options.chainId) return null;
          throw rpcError(4902, `This test wallet only knows chain ${options.chainId}.`);
        }
        case 'personal_sign':
          if (options.rejectSignatures) throw rpcError(4001, 'User rejected the request.');
          break;
      }
      const answer = await forward(method, params ?? []);
      if ('error' in answer) throw rpcError(answer.error.code, answer.error.message, answer.error.data);
      return answer.result;
    },
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(listener);
      return provider;
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };

  Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
  const info = {
    uuid: crypto.randomUUID(),
    name: options.name,
    // A plain square: wallets must announce an icon, and a data: URI needs no network.
    icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"%3E%3Crect width="8" height="8"/%3E%3C/svg%3E',
    rdns: 'dev.backfill.e2e-wallet',
  };
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }),
    );
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
}

/**
 * Gives every page of `context` the test wallet for `address`. Call before the first navigation; the
 * exposed function and the init script then apply to every page and reload of the context.
 */
export async function installInjectedWallet(context: BrowserContext, options: WalletOptions): Promise<void> {
  await context.exposeFunction('__backfillE2eRpc', (method: string, params: unknown[]) =>
    anvilRpc(method, params),
  );
  await context.addInitScript(installProvider, {
    address: options.address,
    chainId: LOCAL_CHAIN_ID_HEX,
    name: TEST_WALLET_NAME,
    rejectSignatures: options.rejectSignatures ?? false,
  });
}

/** The test USDC a wallet holds on the e2e stack's chain, read from the chain itself. */
export async function usdcBalance(usdc: `0x${string}`, holder: `0x${string}`): Promise<bigint> {
  const client = createPublicClient({ chain: foundry, transport: http(ANVIL_URL) });
  return client.readContract({ address: usdc, abi: erc20Abi, functionName: 'balanceOf', args: [holder] });
}

/**
 * Sends test USDC from a development account straight from Node (as another wallet app would), waits until
 * it is mined and returns the transaction hash. Anvil signs for the unlocked account.
 */
export async function sendTestUsdc(
  from: DevAccount,
  to: `0x${string}`,
  usdc: `0x${string}`,
  amountMicros: bigint,
): Promise<`0x${string}`> {
  const transport = http(ANVIL_URL);
  const wallet = createWalletClient({ account: from, chain: foundry, transport });
  const hash = await wallet.writeContract({
    address: usdc,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [to, amountMicros],
  });
  const receipt = await createPublicClient({ chain: foundry, transport }).waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`test USDC transfer ${hash} reverted`);
  return hash;
}
