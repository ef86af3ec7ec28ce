import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import type { PayoutView } from '@/lib/payouts/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/**
 * Money leaving the treasury for the signed-in wallet: a supplier's payout of payable earnings, or a
 * customer's withdrawal of unused balance. Both are the same resource on the server (lib/payouts), so the
 * dashboard follows them with the same queries.
 */
export type TransferOutKind = 'payout' | 'withdrawal';

export interface PayoutPage {
  items: PayoutView[];
  nextCursor: string | null;
}

export const PAYOUTS_PAGE_SIZE = 10;
/** How often a transfer on its way is re-read: the processor moves it on within seconds. */
const PAYOUT_POLL_MS = 2_000;

const TRANSFER_OUT: Record<TransferOutKind, { path: string; key: QueryKey; alsoChanges: QueryKey[] }> = {
  payout: {
    path: '/api/v1/payouts',
    key: [...queryKeys.account.all, 'supplier', 'payouts'],
    alsoChanges: [[...queryKeys.account.all, 'supplier', 'earnings']],
  },
  withdrawal: {
    path: '/api/v1/withdrawals',
    key: queryKeys.account.withdrawals,
    alsoChanges: [queryKeys.account.balance, queryKeys.account.ledger.all],
  },
};

export const transfersOutKey = (kind: TransferOutKind): QueryKey => TRANSFER_OUT[kind].key;

/** A payout or withdrawal stops changing once it is confirmed or failed. */
export function isPayoutSettled(payout: Pick<PayoutView, 'state'>): boolean {
  return payout.state === 'confirmed' || payout.state === 'failed';
}

export function transfersOutQueryOptions(kind: TransferOutKind) {
  const { path, key } = TRANSFER_OUT[kind];
  return infiniteQueryOptions({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(PAYOUTS_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return getJson<PayoutPage>(`${path}?${params}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Transfers on their way move on by themselves.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((p) => !isPayoutSettled(p)))
        ? PAYOUT_POLL_MS
        : false,
  });
}

export function useTransfersOut(kind: TransferOutKind, enabled = true) {
  return useInfiniteQuery({ ...transfersOutQueryOptions(kind), enabled });
}

export interface TransferOutRequest {
  /** Omitted: the whole payable (payout) or available (withdrawal) balance. */
  amountMicros?: bigint;
  /** One key per transfer, reused when the same one is retried, so it is never paid twice. */
  idempotencyKey: string;
}

/**
 * Sends money to the signed-in wallet (`POST /api/v1/payouts` or `/api/v1/withdrawals`, which require an
 * `Idempotency-Key`). The treasury signs and sends the transfer; the history then follows it on-chain.
 */
export function useRequestTransferOut(kind: TransferOutKind) {
  const queryClient = useQueryClient();
  const { path, key, alsoChanges } = TRANSFER_OUT[kind];
  return useMutation({
    mutationFn: ({ amountMicros, idempotencyKey }: TransferOutRequest) =>
      sendJson<PayoutView>(
        'POST',
        path,
        amountMicros === undefined ? {} : { amountMicros: amountMicros.toString() },
        { 'Idempotency-Key': idempotencyKey },
      ),
    onSuccess: () => {
      for (const queryKey of [key, ...alsoChanges]) void queryClient.invalidateQueries({ queryKey });
    },
  });
}
