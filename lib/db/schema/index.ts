export * from '@/lib/db/schema/accounts';
export * from '@/lib/db/schema/nodes';
export * from '@/lib/db/schema/offers';
export * from '@/lib/db/schema/ledger';
