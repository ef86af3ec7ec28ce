export * from '@/lib/db/schema/accounts';
export * from '@/lib/db/schema/nodes';
export * from '@/lib/db/schema/offers';
export * from '@/lib/db/schema/ledger';
export * from '@/lib/db/schema/auth';
export * from '@/lib/db/schema/deposits';
export * from '@/lib/db/schema/payouts';
export * from '@/lib/db/schema/jobs';
