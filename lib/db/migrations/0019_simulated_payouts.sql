-- Withdrawals of the simulated demo network's suppliers get their own transaction kind: ledger-only, never
-- expected on the chain, so a `payout` is always one the chain confirmed and the reconciliation keeps them apart.
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'simulated_payout';
