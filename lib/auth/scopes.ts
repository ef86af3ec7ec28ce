/**
 * What an API key may do, one scope per kind of power (browser-safe: no server imports). A key with none of
 * the scopes a request needs is refused with 403, naming the scope. Wallet sessions have every power except
 * what is reserved to them (managing API keys), so scopes apply to API keys only.
 */
export const API_KEY_SCOPES = ['read', 'jobs', 'supplier', 'billing'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A new key gets these unless it names others: enough to launch, watch and download, not to move money. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'jobs'];

export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  read: 'Read your jobs, files, receipts, balance, ledger, nodes and payouts.',
  jobs: 'Quote, launch, cancel and re-run jobs; upload and delete files.',
  supplier: 'Change your nodes and offers; create node registration tokens.',
  billing: 'Claim deposits, change account settings and request payouts (money leaves the account).',
};
