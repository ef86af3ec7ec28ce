import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TEST_WALLET_INDEXES } from '@/lib/chain/config';
import { LOCAL_DEPLOYER_INDEX, devAccount } from '@/lib/chain/local-chain';
import { isPlatformAddress, platformAddresses } from '@/lib/chain/platform-addresses';
import { useReceiptSigner } from '@/lib/receipts/signer';

describe('addresses the platform controls (probe class 6)', () => {
  const treasury = privateKeyToAccount(generatePrivateKey());
  const payoutSigner = privateKeyToAccount(generatePrivateKey());
  const receipts = privateKeyToAccount(generatePrivateKey());
  const customer = privateKeyToAccount(generatePrivateKey());
  beforeAll(() => useReceiptSigner(receipts));
  afterAll(() => useReceiptSigner(undefined));

  it('are the treasury, the payout signer and the receipt signer on a real chain, whatever the case', () => {
    // A configuration whose treasury address and signing key differ, so each is seen to count on its own.
    const chain = { treasuryAddress: treasury.address, treasuryAccount: payoutSigner, isLocal: false };
    expect([...platformAddresses(chain)].sort()).toEqual(
      [treasury.address, payoutSigner.address, receipts.address].map((a) => a.toLowerCase()).sort(),
    );
    expect(isPlatformAddress(chain, treasury.address.toUpperCase().replace('0X', '0x'))).toBe(true);
    expect(isPlatformAddress(chain, payoutSigner.address)).toBe(true);
    expect(isPlatformAddress(chain, customer.address)).toBe(false);
    // No development key is the platform's on a real chain.
    expect(isPlatformAddress(chain, devAccount(LOCAL_DEPLOYER_INDEX).address)).toBe(false);
  });

  it('include the mock USDC deployer on the local chain, and none of the local test wallets', () => {
    const chain = { treasuryAddress: treasury.address, treasuryAccount: null, isLocal: true };
    expect(isPlatformAddress(chain, devAccount(LOCAL_DEPLOYER_INDEX).address)).toBe(true);
    for (const index of LOCAL_TEST_WALLET_INDEXES)
      expect(isPlatformAddress(chain, devAccount(index).address), `test wallet ${index}`).toBe(false);
  });
});
