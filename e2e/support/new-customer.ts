import { expect, type APIRequestContext } from '@playwright/test';
import { createPublicClient, createWalletClient, erc20Abi, http, parseAbi } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { createSiweMessage } from 'viem/siwe';
import { ANVIL_URL, anvilRpc } from './injected-wallet';

const LOCAL_DEPLOYER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'; // anvil account 0: mints the mock USDC

/**
 * A new customer: a fresh wallet with test USDC, signed in with SIWE, an API key with every scope (the specs
 * launch, supply nodes and deposit with it), and 10 USDC deposited.
 * Given a page's `request`, the browser page is signed in too (they share the context's cookies). The chain is
 * the e2e stack's anvil unless `anvilUrl` names another.
 */
export async function newCustomer(
  request: APIRequestContext,
  origin: string,
  anvilUrl = ANVIL_URL,
): Promise<string> {
  const wallet = privateKeyToAccount(generatePrivateKey());
  const chain = (await (await request.get('/api/v1/chain')).json()) as {
    usdcAddress: `0x${string}`;
    treasuryAddress: `0x${string}`;
  };
  const transport = http(anvilUrl);
  const publicClient = createPublicClient({ chain: foundry, transport });
  await anvilRpc('anvil_setBalance', [wallet.address, '0xde0b6b3a7640000'], anvilUrl);
  const minter = createWalletClient({ account: LOCAL_DEPLOYER, chain: foundry, transport });
  await publicClient.waitForTransactionReceipt({
    hash: await minter.writeContract({
      address: chain.usdcAddress,
      abi: parseAbi(['function mint(address to, uint256 amount)']),
      functionName: 'mint',
      args: [wallet.address, 10_000_000n],
    }),
  });

  const nonce = (await (
    await request.post('/api/v1/auth/nonce', { headers: { origin }, data: {} })
  ).json()) as {
    nonce: string;
    domain: string;
    uri: string;
    issuedAt: string;
    expiresAt: string;
  };
  const message = createSiweMessage({
    address: wallet.address,
    chainId: foundry.id,
    domain: nonce.domain,
    uri: nonce.uri,
    nonce: nonce.nonce,
    version: '1',
    issuedAt: new Date(nonce.issuedAt),
    expirationTime: new Date(nonce.expiresAt),
  });
  const verified = await request.post('/api/v1/auth/verify', {
    headers: { origin },
    data: { message, signature: await wallet.signMessage({ message }) },
  });
  expect(verified.status(), await verified.text()).toBe(200);
  const created = await request.post('/api/v1/api-keys', {
    headers: { origin },
    data: { name: 'data plane e2e', scopes: ['read', 'jobs', 'supplier', 'billing'] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { key } = (await created.json()) as { key: string };

  const payer = createWalletClient({ account: wallet, chain: foundry, transport });
  const txHash = await payer.writeContract({
    address: chain.usdcAddress,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [chain.treasuryAddress, 10_000_000n],
  });
  await publicClient.waitForTransactionReceipt({ hash: txHash });
  const deposit = await request.post('/api/v1/deposits', {
    headers: { authorization: `Bearer ${key}` },
    data: { chainId: foundry.id, txHash },
  });
  expect([200, 201, 202]).toContain(deposit.status());
  await expect
    .poll(
      async () =>
        BigInt(
          (
            (await (
              await request.get('/api/v1/balance', { headers: { authorization: `Bearer ${key}` } })
            ).json()) as {
              availableMicros: string;
            }
          ).availableMicros,
        ),
      { timeout: 60_000, message: 'the deposit is credited' },
    )
    .toBeGreaterThanOrEqual(10_000_000n);
  return key;
}
