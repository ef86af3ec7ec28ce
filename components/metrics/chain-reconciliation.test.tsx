import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChainReconciliation } from '@/components/metrics/chain-reconciliation';
import { unavailableReconciliation } from '@/lib/reconciliation/reconcile';
import type { Reconciliation } from '@/lib/reconciliation/schemas';

const render = (r: Reconciliation) =>
  renderToString(<ChainReconciliation reconciliation={r} />).replaceAll('<!-- -->', '');

const ok: Reconciliation = {
  status: 'ok',
  message: 'The ledger reconciles with Local chain (anvil).',
  checkedAt: '2026-11-25T00:00:00.000Z',
  chain: {
    chainId: 31337,
    name: 'Local chain (anvil)',
    usdcAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    treasuryAddress: '0xa0ee7a142d267c1f36714e4a8f75612f20a79720',
    fromBlock: '0',
    toBlock: '42',
    openingBalanceMicros: '0',
    balanceMicros: '1020000000',
    transfersIn: { count: 2, totalMicros: '1050000000' },
    transfersOut: { count: 1, totalMicros: '30000000' },
    expectedBalanceMicros: '1020000000',
    balanceMatches: true,
    netMicros: '20000000',
  },
  ledger: {
    deposits: { count: 1, totalMicros: '50000000' },
    simulatedFunding: { count: 3, totalMicros: '1500000000' },
    payouts: { count: 1, totalMicros: '30000000' },
    withdrawals: { count: 0, totalMicros: '0' },
    simulatedPayouts: { count: 2, totalMicros: '75000000' },
    netMicros: '20000000',
  },
  ledgerMatchesChain: true,
  counts: { failures: 0, pending: 0, explained: 1 },
  differences: [],
  explained: [],
  limit: 500,
  omitted: 0,
};

describe('ChainReconciliation', () => {
  it('shows both sides, simulated funding and payouts labelled as simulated, and "No differences" when it reconciles', () => {
    const html = render(ok);
    expect(html).toContain('Reconciliation with the chain');
    expect(html).toContain('Reconciled');
    expect(html).toContain('No differences.');
    expect(html).toContain('Simulated funding');
    expect(html).toContain('simulated: no transfer behind it, not compared');
    expect(html).toContain('Simulated payouts');
    expect(html).toContain('$75.00 (2)');
    expect(html).toContain('simulated: no transfer behind them, not compared');
    expect(html).toContain('$1,020.00');
    expect(html).not.toContain('role="alert"');
  });

  it('makes a failure impossible to miss and lists each difference', () => {
    const html = render({
      ...ok,
      status: 'failed',
      message: '1 unexplained difference between the ledger and Local chain (anvil).',
      ledgerMatchesChain: false,
      counts: { failures: 1, pending: 0, explained: 0 },
      differences: [
        {
          kind: 'unbacked_credit',
          severity: 'failure',
          direction: 'in',
          txHash: null,
          logIndex: null,
          blockNumber: null,
          ledgerTransactionId: '6d1f0c1e-0000-4000-8000-000000000000',
          ledgerMicros: '75000000',
          chainMicros: null,
          counterparty: null,
          record: null,
          detail: 'A deposit credit in the ledger with no on-chain deposit record behind it.',
        },
      ],
    });
    expect(html).toContain('Reconciliation failed');
    expect(html).toContain('role="alert"');
    expect(html).toContain('border-danger');
    expect(html).toContain('Deposit credit without a transfer');
    expect(html).toContain('$75.00');
    expect(html).toContain('does not match the chain');
    expect(html).not.toContain('No differences.');
  });

  it('says why when there is no chain', () => {
    const html = render(unavailableReconciliation('No chain is configured on this server.', new Date()));
    expect(html).toContain('Not available');
    expect(html).toContain('No chain is configured on this server.');
  });
});
