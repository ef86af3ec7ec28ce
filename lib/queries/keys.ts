import type { OfferFilters } from '@/lib/market/offer-url';

/** The one query-key factory: nested arrays, so invalidating a prefix reaches every list under it. */
export const queryKeys = {
  offers: {
    all: ['offers'] as const,
    list: (filters: OfferFilters) => ['offers', 'list', filters] as const,
  },
  /** Who is signed in; public, so it lives outside the account's prefix. */
  session: ['session'] as const,
  chain: ['chain'] as const,
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
  },
};
