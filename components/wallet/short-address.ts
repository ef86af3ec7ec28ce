/** "0x7099…79C8": enough of an address to recognise it; the full one goes in a title or beside it. */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** "0x1a2b3c…9f8e" for transaction hashes. */
export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash;
}
