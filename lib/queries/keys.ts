import type { OfferFilters } from '@/lib/market/offer-url';
import type { JobListFilters, QuoteRequest } from '@/lib/queries/jobs';

/** The one query-key factory: nested arrays, so invalidating a prefix reaches every list under it. */
export const queryKeys = {
  offers: {
    all: ['offers'] as const,
    list: (filters: OfferFilters) => ['offers', 'list', filters] as const,
    summary: ['offers', 'summary'] as const,
  },
  /** Who is signed in; public, so it lives outside the account's prefix. */
  session: ['session'] as const,
  chain: ['chain'] as const,
  /** The address job receipts are signed by (public, fixed for the life of the server). */
  receiptSigner: ['receiptSigner'] as const,
  /**
   * Everything that belongs to the signed-in account. Signing in or out removes the whole prefix, so one
   * wallet never sees another's cached balance, deposits or ledger.
   */
  account: {
    all: ['account'] as const,
    balance: ['account', 'balance'] as const,
    deposits: {
      all: ['account', 'deposits'] as const,
      list: ['account', 'deposits', 'list'] as const,
      detail: (id: string) => ['account', 'deposits', 'detail', id] as const,
    },
    ledger: {
      all: ['account', 'ledger'] as const,
      list: ['account', 'ledger', 'list'] as const,
    },
    files: {
      all: ['account', 'files'] as const,
      ofJob: (jobId: string) => ['account', 'files', 'job', jobId] as const,
    },
    jobs: {
      all: ['account', 'jobs'] as const,
      lists: ['account', 'jobs', 'list'] as const,
      list: (filters: JobListFilters) => ['account', 'jobs', 'list', filters] as const,
      detail: (id: string) => ['account', 'jobs', 'detail', id] as const,
      /** The monitor's live state (timeline, recent logs and telemetry), built from the job's events. */
      live: (id: string) => ['account', 'jobs', 'live', id] as const,
      receipt: (id: string) => ['account', 'jobs', 'receipt', id] as const,
    },
    apiKeys: ['account', 'apiKeys'] as const,
    /** Withdrawals of unused balance to the wallet (the supplier's payouts live under `supplier`). */
    withdrawals: ['account', 'withdrawals'] as const,
    /** Whether this account may use the demo's simulation controls (its wallet decides). */
    simulationAccess: ['account', 'simulationAccess'] as const,
    /** A quote carries the runway against this account's balance, so it belongs to the account. */
    quote: (request: QuoteRequest | null) => ['account', 'quote', request] as const,
  },
};
