/**
 * Every enumerated value the database stores, defined once. The database schema (`pgEnum`), the API's zod
 * contracts and the browser all read these lists; nothing here imports the database layer, so any module,
 * client components included, can import it.
 */
// jobs
export const JOB_TEMPLATE_IDS = [
  'llm_inference',
  'lora_finetune',
  'multi_gpu_training',
  'render',
  'custom',
] as const;
export const JOB_STATES = [
  'queued',
  'scheduled',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'out_of_budget',
] as const;
export const ATTEMPT_STATES = [
  'assigned',
  'running',
  'completed',
  'host_lost',
  'preempted',
  'failed',
  'cancelled',
  'out_of_budget',
] as const;
export const JOB_KINDS = ['customer', 'canary'] as const;

// files
export const FILE_KINDS = ['input', 'output', 'checkpoint'] as const;
export const FILE_STATES = ['pending', 'ready'] as const;

// nodes
export const NODE_STATUSES = ['online', 'busy', 'offline', 'lost', 'quarantined'] as const;
export const INTERCONNECTS = ['nvlink', 'pcie'] as const;
export const VERIFICATION_STATES = ['unverified', 'verified', 'failed', 'declared'] as const;
export const VERIFICATION_METHODS = ['benchmark', 'canary'] as const;
export const VERIFICATION_RESULTS = ['pass', 'fail'] as const;

// verification
export const CHALLENGE_STATES = [
  'pending',
  'sent',
  'committed',
  'passed',
  'failed',
  'unsupported',
  'expired',
] as const;
export const CANARY_OUTCOMES = ['pending', 'pass', 'fail', 'void'] as const;

// ledger
export const LEDGER_CURRENCIES = ['usdc', 'incentive'] as const;
export const LEDGER_ACCOUNT_KINDS = [
  'customer_available',
  'customer_reserved',
  'supplier_payable',
  'supplier_incentives',
  /** Payable set aside for a payout on its way on-chain. */
  'supplier_payout_pending',
  /** A customer's available balance set aside for a withdrawal on its way on-chain. */
  'customer_withdrawal_pending',
  /** Earnings of a quarantined node, held: never paid out (payouts draw on payable only). */
  'supplier_held',
  'platform_fees',
  'external',
] as const;
export const LEDGER_TRANSACTION_KINDS = [
  'deposit',
  'hold',
  'capture',
  'release',
  'payout_reserve',
  'payout',
  'payout_reversal',
  'incentive',
  /** A quarantined node's unpaid earnings move from payable to held. */
  'earnings_hold',
  /** A suspect attempt's charge returns to the customer: from the node's held earnings, the rest from fees. */
  'refund',
  'correction',
  /**
   * Ledger-only money of the simulated demo network (its customers' funding): no on-chain transfer behind it,
   * published as simulated, never as a deposit. Only a demo account (`accounts.is_demo`) may receive it.
   */
  'simulated_funding',
  /**
   * A demo supplier of the simulated network withdrawing its payable earnings (payable → external, like a
   * one-step payout), in the ledger only: no transfer on any chain behind it, published as a simulated payout,
   * never as a payout. Only a demo account (`accounts.is_demo`) may make one.
   */
  'simulated_payout',
  /** A customer's available balance set aside for a withdrawal to their wallet (available → withdrawal pending). */
  'withdrawal_reserve',
  /** A customer's withdrawal confirmed on-chain: the money has left the ledger (withdrawal pending → external). */
  'withdrawal',
  /** A customer's withdrawal failed on-chain: the amount returns to their available balance. */
  'withdrawal_reversal',
] as const;

// deposits
export const DEPOSIT_STATES = ['seen', 'confirmed', 'credited', 'rejected', 'unattributed'] as const;
export const DEPOSIT_REJECTIONS = [
  'transaction_failed',
  'transaction_not_found',
  'not_usdc',
  'wrong_recipient',
  'wrong_chain',
  'amount_mismatch',
  'sender_mismatch',
  'reorged',
  /**
   * Sent from an address whose key the platform holds (the treasury itself, the payout signer, …): the
   * platform's own money moving, never a customer's deposit (lib/chain/platform-addresses.ts).
   */
  'platform_sender',
] as const;
export const DEPOSIT_SOURCES = ['dashboard', 'indexer'] as const;

// payouts
export const PAYOUT_STATES = ['requested', 'signed', 'sent', 'confirmed', 'failed'] as const;
export const PAYOUT_SOURCES = ['supplier_earnings', 'customer_balance'] as const;
