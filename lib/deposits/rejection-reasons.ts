import type { DepositRejection } from '@/lib/db/schema/deposits';

/**
 * Why a deposit was not credited, in words; nothing was added to the balance in any of these cases. Shared by
 * the API answer (`rejectionMessage`) and the billing page, so both say the same.
 */
export const DEPOSIT_REJECTION_REASON: Record<DepositRejection, string> = {
  transaction_failed: 'the transaction failed on-chain',
  transaction_not_found: 'the transaction was not found on the chain',
  not_usdc: 'the transfer was not USDC on this chain',
  wrong_recipient: 'the transfer did not go to the Backfill treasury',
  wrong_chain: 'the transaction is on another chain',
  amount_mismatch: 'the amount on the chain differs from the amount entered',
  sender_mismatch: 'the transfer came from another wallet than the one you signed in with',
  reorged: 'the block holding the transfer was dropped by a chain reorganisation',
  platform_sender:
    'the transfer came from an address Backfill itself controls (its treasury or another platform wallet), ' +
    'so it is the platform’s own money and is never credited as a deposit',
};

/** "Rejected: the transfer did not go to the Backfill treasury". */
export function rejectionText(deposit: { rejection: DepositRejection | null }): string {
  return deposit.rejection ? `Rejected: ${DEPOSIT_REJECTION_REASON[deposit.rejection]}` : 'Rejected';
}
