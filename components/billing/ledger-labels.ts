import type { LedgerEntryView } from '@/lib/billing/schemas';
import { formatMoney } from '@/lib/money';

/** What each kind of ledger transaction is called on the page (the ledger table, the monthly statement). */
export const KIND_LABEL: Record<LedgerEntryView['kind'], string> = {
  deposit: 'Deposit',
  hold: 'Hold for a job',
  capture: 'Job charge',
  release: 'Hold released',
  payout_reserve: 'Payout set aside',
  payout: 'Payout',
  payout_reversal: 'Payout returned',
  incentive: 'Incentive',
  earnings_hold: 'Earnings held (node quarantined)',
  refund: 'Refund (suspect work)',
  correction: 'Correction',
  simulated_funding: 'Simulated funding',
  simulated_payout: 'Simulated payout',
  withdrawal_reserve: 'Withdrawal set aside',
  withdrawal: 'Withdrawal to your wallet',
  withdrawal_reversal: 'Withdrawal returned',
};

export const ACCOUNT_LABEL: Record<LedgerEntryView['account'], string> = {
  customer_available: 'Available',
  customer_reserved: 'Reserved',
  supplier_payable: 'Earnings payable',
  supplier_incentives: 'Incentives',
  supplier_payout_pending: 'Payout pending',
  customer_withdrawal_pending: 'Withdrawal pending',
  supplier_held: 'Held (quarantine)',
  platform_fees: 'Platform fees',
  external: 'External',
};

/** "+$250.00" / "−$12.00": the sign says whether money came into or left the account. */
export function signedMoney(micros: string): string {
  const text = formatMoney(micros);
  return micros.startsWith('-') ? text : `+${text}`;
}
