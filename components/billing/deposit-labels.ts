import type { DepositView } from '@/lib/deposits/schemas';

type DepositState = DepositView['state'];

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

/** Why a deposit was not credited, in words (the same text the API answers as `rejectionMessage`). */
export { DEPOSIT_REJECTION_REASON, rejectionText } from '@/lib/deposits/rejection-reasons';
