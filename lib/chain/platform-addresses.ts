import type { Address } from 'viem';
import type { ChainConfig } from '@/lib/chain/config';
import { LOCAL_DEPLOYER_INDEX, devAccount } from '@/lib/chain/local-chain';
import { existingReceiptSignerAddress } from '@/lib/receipts/signer';

/** A lower-case 0x address, as deposits store and compare them. */
type LowerAddress = `0x${string}`;

const lower = (address: Address | string) => address.toLowerCase() as LowerAddress;

/** The chain-derived part, per configuration object: deriving development keys is not free. */
const fromChain = new WeakMap<object, readonly LowerAddress[]>();
/** Once the receipt key exists it never changes for the life of the process. */
let receiptSigner: LowerAddress | null = null;

/**
 * Every address whose key the platform holds: the treasury (where deposits arrive), the payout signer (the
 * treasury key), the receipt signer, and on the local chain only the development account that deploys and
 * mints the mock USDC. A transfer from any of them to the treasury moves the platform's own money — the
 * treasury paying itself (a payout addressed to the treasury), test money from the minter — so it is never a
 * customer's deposit: it is recorded as `rejected: platform_sender` and never credited (lib/deposits/).
 */
export function platformAddresses(
  chain: Pick<ChainConfig, 'treasuryAddress' | 'treasuryAccount' | 'isLocal'>,
): ReadonlySet<LowerAddress> {
  let known = fromChain.get(chain);
  if (!known) {
    known = [
      lower(chain.treasuryAddress),
      ...(chain.treasuryAccount ? [lower(chain.treasuryAccount.address)] : []),
      // LOCAL CHAIN ONLY: the public development key the embedded stack deploys and mints test USDC with.
      ...(chain.isLocal ? [lower(devAccount(LOCAL_DEPLOYER_INDEX).address)] : []),
    ];
    fromChain.set(chain, known);
  }
  if (!receiptSigner) {
    const address = existingReceiptSignerAddress();
    if (address) receiptSigner = lower(address);
  }
  return new Set([...known, ...(receiptSigner ? [receiptSigner] : [])]);
}

/** Whether the platform holds the key of `address` (see `platformAddresses`). */
export function isPlatformAddress(
  chain: Pick<ChainConfig, 'treasuryAddress' | 'treasuryAccount' | 'isLocal'>,
  address: string,
): boolean {
  return platformAddresses(chain).has(lower(address));
}
