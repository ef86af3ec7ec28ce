import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Address, Hex, LocalAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { serverEnv } from '@/lib/env';

const KEY_FILE = 'receipt-signing-key';
let cached: LocalAccount | undefined;

/**
 * The marketplace's receipt-signing account. At scale the key comes from RECEIPT_SIGNING_KEY (every instance
 * signs with the same one); in the embedded stack a key is generated once and kept in DATA_DIR, readable only
 * by its owner. It signs receipts and nothing else — it never holds funds.
 */
export function receiptSigner(): LocalAccount {
  if (cached) return cached;
  const env = serverEnv();
  if (env.RECEIPT_SIGNING_KEY) {
    cached = privateKeyToAccount(env.RECEIPT_SIGNING_KEY as Hex);
    return cached;
  }
  const file = path.resolve(env.DATA_DIR, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${generatePrivateKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  cached = privateKeyToAccount(readFileSync(file, 'utf8').trim() as Hex);
  return cached;
}

/**
 * The receipt signer's address without creating its key: null while the embedded stack has not generated one
 * yet (nothing can have been sent from an address whose key does not exist). The platform holds this key, so
 * the deposit code treats the address as the platform's own (lib/chain/platform-addresses.ts).
 */
export function existingReceiptSignerAddress(): Address | null {
  if (cached) return cached.address;
  const env = serverEnv();
  if (env.RECEIPT_SIGNING_KEY) return privateKeyToAccount(env.RECEIPT_SIGNING_KEY as Hex).address;
  const file = path.resolve(env.DATA_DIR, KEY_FILE);
  if (!existsSync(file)) return null;
  return privateKeyToAccount(readFileSync(file, 'utf8').trim() as Hex).address;
}

/** Tests sign with their own key. */
export function useReceiptSigner(account: LocalAccount | undefined): void {
  cached = account;
}
