import type { DepositView } from '@/lib/deposits/schemas';

type DepositState = DepositView['state'];
type DepositRejection = NonNullable<DepositView['rejection']>;

/** What each state means to the person who deposited. */
export const DEPOSIT_STATE_LABEL: Record<DepositState, string> = {
  seen: 'Pending',
  confirmed: 'Confirmed',
  credited: 'Credited',
  rejected: 'Rejected',
  unattributed: 'Unattributed',
};

export const DEPOSIT_STATE_TONE = {
  seen: 'accent',
  confirmed: 'accent',
  credited: 'success',
  rejected: 'danger',
  unattributed: 'warning',
} as const satisfies Record<DepositState, string>;

/** Why a deposit was not credited, in words; nothing was added to the balance in any of these cases. */
export const DEPOSIT_REJECTION_REASON: Record<DepositRejection, string> = {
  transaction_failed: 'the transaction failed on-chain',
  transaction_not_found: 'the transaction was not found on the chain',
  not_usdc: 'the transfer was not USDC on this chain',
  wrong_recipient: 'the transfer did not go to the Backfill treasury',
  wrong_chain: 'the transaction is on another chain',
  amount_mismatch: 'the amount on the chain differs from the amount entered',
  sender_mismatch: 'the transfer came from another wallet than the one you signed in with',
  reorged: 'the block holding the transfer was dropped by a chain reorganisation',
};

/** "Rejected: the transfer did not go to the Backfill treasury". */
export function rejectionText(deposit: Pick<DepositView, 'rejection'>): string {
  return deposit.rejection ? `Rejected: ${DEPOSIT_REJECTION_REASON[deposit.rejection]}` : 'Rejected';
}
