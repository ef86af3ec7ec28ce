import { Badge } from '@/components/ui/badge';
import { TableHead } from '@/components/ui/table-head';
import type { Reconciliation, ReconciliationDifference } from '@/lib/reconciliation/schemas';
import { formatUsd } from '@/lib/money';

export const CHAIN_RECONCILIATION_API = '/api/v1/metrics/chain-reconciliation';

const STATUS: Record<Reconciliation['status'], { label: string; tone: 'success' | 'danger' | 'neutral' }> = {
  ok: { label: 'Reconciled', tone: 'success' },
  failed: { label: 'Reconciliation failed', tone: 'danger' },
  unavailable: { label: 'Not available', tone: 'neutral' },
};

const KIND_LABEL: Record<ReconciliationDifference['kind'], string> = {
  unbacked_credit: 'Deposit credit without a transfer',
  amount_mismatch: 'Amounts differ',
  transfer_not_in_ledger: 'Transfer in, not in the ledger',
  payout_without_transfer: 'Payout without a transfer',
  transfer_out_without_payout: 'Transfer out, no payout',
  balance_mismatch: 'Treasury balance differs',
};

const SEVERITY_TONE = { failure: 'danger', pending: 'warning', explained: 'neutral' } as const;

const usd = (micros: string | null) => (micros === null ? '—' : formatUsd(micros));
const short = (hash: string | null) => (hash ? `${hash.slice(0, 10)}…${hash.slice(-4)}` : '—');

function Row({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-b border-border py-1 last:border-0">
      <dt className="text-muted-foreground">
        {label}
        {note ? <span className="block text-xs">{note}</span> : null}
      </dt>
      <dd className="font-mono tabular-nums">{value}</dd>
    </div>
  );
}

function Differences({ items, caption }: { items: ReconciliationDifference[]; caption: string }) {
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <TableHead
          columns={[
            'Difference',
            'Status',
            'Transaction',
            { label: 'Ledger', align: 'right' },
            { label: 'Chain', align: 'right' },
            'Record and reason',
          ]}
        />
        <tbody>
          {items.map((d, i) => (
            <tr key={`${d.kind}-${d.txHash ?? d.ledgerTransactionId ?? i}-${d.logIndex ?? i}`}>
              <td className="py-1 pr-3">{KIND_LABEL[d.kind]}</td>
              <td className="py-1 pr-3">
                <Badge tone={SEVERITY_TONE[d.severity]}>{d.severity}</Badge>
              </td>
              <td
                className="py-1 pr-3 font-mono text-xs"
                title={d.txHash ?? d.ledgerTransactionId ?? undefined}
              >
                {d.txHash
                  ? `${short(d.txHash)}${d.logIndex === null ? '' : ` #${d.logIndex}`}`
                  : 'no transaction'}
              </td>
              <td className="py-1 pr-3 text-right tabular-nums">{usd(d.ledgerMicros)}</td>
              <td className="py-1 pr-3 text-right tabular-nums">{usd(d.chainMicros)}</td>
              <td className="py-1 pr-3">
                {d.detail}
                {d.record ? <span className="block text-xs text-muted-foreground">{d.record}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The ledger reconciled with the chain itself (`GET /api/v1/metrics/chain-reconciliation`): the chain side and
 * the ledger side next to each other, every difference, and the status — in red when it failed.
 */
export function ChainReconciliation({ reconciliation: r }: { reconciliation: Reconciliation }) {
  const status = STATUS[r.status];
  return (
    <section
      id="chain-reconciliation"
      aria-labelledby="chain-reconciliation-title"
      className={
        r.status === 'failed'
          ? 'flex scroll-mt-4 flex-col gap-3 rounded-lg border-2 border-danger bg-card p-4'
          : 'flex scroll-mt-4 flex-col gap-3 rounded-lg border border-border bg-card p-4'
      }
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="chain-reconciliation-title" className="text-lg font-semibold">
          Reconciliation with the chain
        </h2>
        <Badge tone={status.tone} className="text-sm">
          {status.label}
        </Badge>
      </div>
      <p
        role={r.status === 'failed' ? 'alert' : 'status'}
        className={r.status === 'failed' ? 'text-sm font-medium text-danger' : 'text-sm'}
      >
        {r.message}
      </p>
      <p className="max-w-3xl text-sm text-muted-foreground">
        Read from the chain itself: the treasury’s USDC balance and every USDC transfer into and out of it.
        Each deposit credited in the ledger must have its transfer in (same transaction, log and amount), each
        payout its transfer out. Simulated funding and simulated payouts of the demo network are ledger-only:
        shown as simulated, never matched. Any unexplained difference fails the reconciliation.{' '}
        <a href={CHAIN_RECONCILIATION_API} className="font-mono text-accent underline underline-offset-2">
          GET {CHAIN_RECONCILIATION_API}
        </a>
      </p>
      {r.chain && r.ledger ? (
        <>
          <div className="grid gap-4 md:grid-cols-2">
            <div>
              <h3 className="text-sm font-semibold">Chain: {r.chain.name}</h3>
              <dl className="text-sm">
                <Row label="Treasury" value={short(r.chain.treasuryAddress)} />
                <Row label="Blocks scanned" value={`${r.chain.fromBlock}–${r.chain.toBlock}`} />
                <Row
                  label="Transfers in"
                  value={`${formatUsd(r.chain.transfersIn.totalMicros)} (${r.chain.transfersIn.count})`}
                />
                <Row
                  label="Transfers out"
                  value={`${formatUsd(r.chain.transfersOut.totalMicros)} (${r.chain.transfersOut.count})`}
                />
                <Row
                  label="Treasury balance"
                  value={formatUsd(r.chain.balanceMicros)}
                  note={
                    r.chain.balanceMatches
                      ? 'equals opening balance + in − out'
                      : `differs from opening + in − out (${formatUsd(r.chain.expectedBalanceMicros)})`
                  }
                />
                <Row
                  label="Net of deposits and payouts"
                  value={formatUsd(r.chain.netMicros)}
                  note="leaving out explained and pending transfers"
                />
              </dl>
            </div>
            <div>
              <h3 className="text-sm font-semibold">Ledger</h3>
              <dl className="text-sm">
                <Row
                  label="Deposits credited"
                  value={`${formatUsd(r.ledger.deposits.totalMicros)} (${r.ledger.deposits.count})`}
                />
                <Row
                  label="Payouts settled"
                  value={`${formatUsd(r.ledger.payouts.totalMicros)} (${r.ledger.payouts.count})`}
                />
                <Row
                  label="Customer withdrawals settled"
                  value={`${formatUsd(r.ledger.withdrawals.totalMicros)} (${r.ledger.withdrawals.count})`}
                />
                <Row
                  label="Net of deposits, payouts and withdrawals"
                  value={formatUsd(r.ledger.netMicros)}
                  note={r.ledgerMatchesChain ? 'matches the chain' : 'does not match the chain'}
                />
                <Row
                  label="Simulated funding"
                  value={`${formatUsd(r.ledger.simulatedFunding.totalMicros)} (${r.ledger.simulatedFunding.count})`}
                  note="simulated: no transfer behind it, not compared"
                />
                <Row
                  label="Simulated payouts"
                  value={`${formatUsd(r.ledger.simulatedPayouts.totalMicros)} (${r.ledger.simulatedPayouts.count})`}
                  note="simulated: no transfer behind them, not compared"
                />
              </dl>
            </div>
          </div>
          {r.differences.length === 0 ? (
            <p className="text-sm">No differences.</p>
          ) : (
            <Differences items={r.differences} caption="Differences between the ledger and the chain" />
          )}
          {r.explained.length > 0 ? (
            <details className="text-sm">
              <summary className="cursor-pointer text-muted-foreground">
                {r.counts.explained} explained transfer{r.counts.explained === 1 ? '' : 's'} (mints, the
                platform’s own money)
              </summary>
              <Differences items={r.explained} caption="Explained transfers" />
            </details>
          ) : null}
          {r.omitted > 0 ? (
            <p className="text-xs text-muted-foreground">
              {r.omitted} more not listed here; counts: {r.counts.failures} failures, {r.counts.pending}{' '}
              pending.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
