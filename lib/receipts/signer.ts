import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Hex, LocalAccount } from 'viem';
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

/** Tests sign with their own key. */
export function useReceiptSigner(account: LocalAccount | undefined): void {
  cached = account;
}
