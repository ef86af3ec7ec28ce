import { getAddress, isAddress, isAddressEqual } from 'viem';
import { z } from 'zod';
import { AppError } from '@/lib/api/errors';
import { LOCAL_TEST_WALLET_INDEXES, type ChainConfig } from '@/lib/chain/config';
import { devAccount } from '@/lib/chain/local-chain';

/** Reads and broadcasts the dashboard needs; nothing that changes the node or signs with its keys. */
const PUBLIC_METHODS = new Set([
  'eth_chainId',
  'net_version',
  'eth_blockNumber',
  'eth_call',
  'eth_estimateGas',
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_feeHistory',
  'eth_getBalance',
  'eth_getCode',
  'eth_getTransactionCount',
  'eth_getTransactionByHash',
  'eth_getTransactionReceipt',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_sendRawTransaction',
]);

/**
 * LOCAL CHAIN ONLY: anvil signs and sends for its unlocked development accounts, which is how the "local test
 * wallet" works without an extension. Only the test-wallet accounts may be used — never the treasury.
 */
const LOCAL_WALLET_METHODS = new Set(['eth_accounts', 'eth_sendTransaction', 'eth_sign', 'personal_sign']);

export const MAX_RPC_BATCH = 20;

const rpcCallSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.number(), z.string(), z.null()]),
  method: z.string().max(64),
  params: z.array(z.unknown()).max(8).optional(),
});
export const rpcPayloadSchema = z.union([rpcCallSchema, z.array(rpcCallSchema).min(1).max(MAX_RPC_BATCH)]);

type RpcCall = z.infer<typeof rpcCallSchema>;

function localTestWallets(): Set<string> {
  return new Set(LOCAL_TEST_WALLET_INDEXES.map((i) => devAccount(i).address.toLowerCase()));
}

/** Why a call may not pass, or null when it may. */
function refusal(chain: ChainConfig, call: RpcCall): string | null {
  if (PUBLIC_METHODS.has(call.method)) return null;
  if (!chain.isLocal || !LOCAL_WALLET_METHODS.has(call.method))
    return `method ${call.method} is not available`;
  const wallets = localTestWallets();
  const params = call.params ?? [];
  const signer =
    call.method === 'eth_sendTransaction'
      ? (params[0] as { from?: unknown } | undefined)?.from
      : call.method === 'eth_sign'
        ? params[0]
        : call.method === 'personal_sign'
          ? params[1]
          : null;
  if (call.method === 'eth_accounts') return null;
  if (typeof signer !== 'string' || !isAddress(signer) || !wallets.has(getAddress(signer).toLowerCase()))
    return 'only the local test wallets can sign through this endpoint';
  // Even if a local deployment made one of them its treasury, the treasury never signs for a browser.
  if (isAddressEqual(signer, chain.treasuryAddress)) return 'the treasury cannot sign through this endpoint';
  return null;
}

/**
 * Same-origin JSON-RPC for the dashboard: the browser never needs the node's URL (so the CSP stays
 * `connect-src 'self'`, and a browser on another machine than a local chain works). Refused calls answer a
 * JSON-RPC error in place; the rest go to the configured node in one request.
 */
export async function forwardRpc(
  chain: ChainConfig,
  payload: z.infer<typeof rpcPayloadSchema>,
): Promise<unknown> {
  const calls = Array.isArray(payload) ? payload : [payload];
  const answers = new Map<RpcCall, unknown>();
  const allowed: RpcCall[] = [];
  for (const call of calls) {
    const why = refusal(chain, call);
    if (why) answers.set(call, { jsonrpc: '2.0', id: call.id, error: { code: -32601, message: why } });
    else if (call.method === 'eth_accounts')
      answers.set(call, { jsonrpc: '2.0', id: call.id, result: [...localTestWallets()] });
    else allowed.push(call);
  }
  if (allowed.length > 0) {
    let upstream: unknown;
    try {
      const response = await fetch(chain.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(allowed),
        signal: AbortSignal.timeout(15_000),
      });
      upstream = await response.json();
    } catch {
      throw new AppError('internal', 'The chain node did not answer; try again.');
    }
    const results = Array.isArray(upstream) ? (upstream as { id?: unknown }[]) : [];
    for (const call of allowed) {
      const match = results.find((r) => r.id === call.id);
      answers.set(
        call,
        match ?? { jsonrpc: '2.0', id: call.id, error: { code: -32603, message: 'no answer' } },
      );
    }
  }
  const ordered = calls.map((call) => answers.get(call));
  return Array.isArray(payload) ? ordered : ordered[0];
}
