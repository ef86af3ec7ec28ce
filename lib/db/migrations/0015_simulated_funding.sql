-- The simulated demo network's ledger-only funding gets its own transaction kind, so a `deposit` is always a
-- credited on-chain transfer and the reconciliation can tell the two apart.
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'simulated_funding';
