import { eq, inArray, sql } from 'drizzle-orm';
import { isAddressEqual, zeroAddress } from 'viem';
import { queryRows } from '@/lib/db/client';
import { accounts, chainCursors } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { platformAddresses } from '@/lib/chain/platform-addresses';
import { recordTransfer } from '@/lib/deposits/store';
import { transferEvent } from '@/lib/deposits/verify-transfer';

/** Blocks per eth_getLogs request: public RPC endpoints refuse wide ranges. */
const CHUNK_BLOCKS = 2_000n;
/** Where a first scan of a real chain starts, back from the head (the local chain is scanned from block 0). */
const FIRST_SCAN_LOOKBACK = 5_000n;

/** The `chain_cursors` row of the deposit indexer of a chain. */
export function depositIndexerCursor(chainId: number): string {
  return `deposit-indexer:${chainId}`;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Finds USDC transfers to the treasury that were not (or not yet) submitted in the dashboard — a wallet that
 * closed before submitting, a transfer sent from another app — and records each once, owned by the account
 * whose wallet sent it, or `unattributed` when no account has that wallet (kept, credited at its sign-in).
 * A transfer sent from an address the platform holds the key of (the treasury paying itself, say a payout
 * addressed to it) is the platform's own money: recorded `rejected: platform_sender`, owned by nobody, never
 * credited.
 * Each scan re-reads the last `confirmations` blocks before the cursor, so a transfer re-mined by a shallow
 * reorg is not missed; recording is idempotent. `advanceDeposits` confirms, credits or rejects the rows.
 * `found` counts the transfers in the scanned blocks, `recorded` the new (or revived) rows among them.
 */
export async function indexTreasuryTransfers(
  deps: ChainDeps,
  options: { chunkBlocks?: bigint } = {},
): Promise<{ found: number; recorded: number; attributed: number }> {
  const { db, clock, chain, client } = deps;
  const name = depositIndexerCursor(chain.chainId);
  const chunk = options.chunkBlocks ?? CHUNK_BLOCKS;
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const [cursor] = await db.select().from(chainCursors).where(eq(chainCursors.name, name)).limit(1);
  const overlap = BigInt(Math.max(chain.confirmations, 1));
  // A cursor beyond the head means the chain got shorter (a reorg): continue from the head.
  const from = cursor
    ? max(0n, min(cursor.blockNumber + 1n, head + 1n) - overlap)
    : chain.isLocal
      ? 0n
      : max(0n, head - FIRST_SCAN_LOOKBACK);
  const result = { found: 0, recorded: 0, attributed: 0 };
  const platform = platformAddresses(chain);

  for (let start = from; start <= head; start += chunk) {
    const end = min(head, start + chunk - 1n);
    const logs = await client.getLogs({
      address: chain.usdcAddress,
      event: transferEvent,
      args: { to: chain.treasuryAddress },
      fromBlock: start,
      toBlock: end,
      strict: true,
    });
    const senders = [...new Set(logs.map((log) => log.args.from.toLowerCase()))];
    const owners = senders.length
      ? await db
          .select({ id: accounts.id, wallet: accounts.walletAddress })
          .from(accounts)
          .where(inArray(accounts.walletAddress, senders))
      : [];
    const ownerOf = new Map(owners.map((o) => [o.wallet.toLowerCase(), o.id]));
    for (const log of logs) {
      if (log.removed || log.args.value <= 0n) continue;
      if (log.blockHash === null || log.blockNumber === null || log.logIndex === null) continue;
      if (log.transactionHash === null) continue;
      // Tokens minted straight to the treasury (the local chain's setup) are nobody's deposit.
      if (isAddressEqual(log.args.from, zeroAddress)) continue;
      const fromAddress = log.args.from.toLowerCase() as `0x${string}`;
      const fromPlatform = platform.has(fromAddress);
      result.found++;
      const outcome = await recordTransfer(db, clock, {
        chainId: chain.chainId,
        txHash: log.transactionHash.toLowerCase() as `0x${string}`,
        logIndex: log.logIndex,
        fromAddress,
        amountMicros: log.args.value,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        accountId: fromPlatform ? null : (ownerOf.get(fromAddress) ?? null),
        source: 'indexer',
        confirmationsRequired: chain.confirmations,
        ...(fromPlatform ? { rejection: 'platform_sender' as const } : {}),
      });
      if (outcome !== 'existing') result.recorded++;
    }
    // Only after the rows are in: a crash re-scans the chunk rather than skipping it.
    const now = clock.now();
    await db
      .insert(chainCursors)
      .values({ name, chainId: chain.chainId, blockNumber: end, updatedAt: now })
      .onConflictDoUpdate({
        target: chainCursors.name,
        set: { blockNumber: sql`excluded.block_number`, updatedAt: now },
      });
  }
  result.attributed = await attributeKnownSenders(deps);
  return result;
}

/**
 * Gives unattributed transfers to accounts that now own the sending wallet. Sign-in attributes them too, but
 * an account created while a scan was running (after its owner lookup) would otherwise wait for the next
 * sign-in.
 */
async function attributeKnownSenders({ db, clock, chain }: ChainDeps): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update deposits d set account_id = a.id, state = 'seen', updated_at = ${clock.now().toISOString()}::timestamptz
        from accounts a
        where d.state = 'unattributed' and d.account_id is null and d.chain_id = ${chain.chainId}
          and a.wallet_address = d.from_address
        returning d.id`,
  );
  return rows.length;
}
