import type { PayoutView } from '@/lib/payouts/schemas';
import type { SupplierNodeView } from '@/lib/supplier/schemas';

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'accent';

export const NODE_STATUS_LABEL: Record<SupplierNodeView['status'], string> = {
  online: 'Online',
  busy: 'Busy',
  offline: 'Offline',
  lost: 'Lost',
  quarantined: 'Quarantined',
};

export const NODE_STATUS_TONE: Record<SupplierNodeView['status'], Tone> = {
  online: 'success',
  busy: 'accent',
  offline: 'neutral',
  lost: 'warning',
  quarantined: 'danger',
};

export const NODE_STATUS_MEANING: Record<SupplierNodeView['status'], string> = {
  online: 'heartbeating and idle: listed on the market',
  busy: 'heartbeating and running jobs',
  offline: 'stopped by its agent: not listed',
  lost: 'silent past the lost-after window: its jobs moved elsewhere',
  quarantined: 'failed hardware verification: off the market, earnings held',
};

export const VERIFICATION_METHOD_TEXT: Record<
  NonNullable<SupplierNodeView['verification']['method']>,
  string
> = {
  benchmark: 'a timed hardware benchmark',
  canary: 'a canary job with a known answer',
};

export const PAYOUT_STATE_LABEL: Record<PayoutView['state'], string> = {
  requested: 'Requested',
  signed: 'Signed',
  sent: 'Sent',
  confirmed: 'Confirmed',
  failed: 'Failed',
};

export const PAYOUT_STATE_TONE: Record<PayoutView['state'], Tone> = {
  requested: 'neutral',
  signed: 'accent',
  sent: 'accent',
  confirmed: 'success',
  failed: 'danger',
};

/**
 * What each state means to the person waiting for the money; `balance` names where it was set aside from
 * ("payable" for a supplier's payout, "available" for a customer's withdrawal).
 */
export function payoutStateMeaning(state: PayoutView['state'], balance: 'payable' | 'available'): string {
  return {
    requested: `Set aside from your ${balance} balance; the treasury signs the transfer next.`,
    signed: 'Signed by the treasury; about to be broadcast.',
    sent: 'Broadcast; waiting for its confirmations.',
    confirmed: 'In your wallet: the transfer has its confirmations.',
    failed: `The transfer failed on-chain; the amount went back to your ${balance} balance.`,
  }[state];
}
