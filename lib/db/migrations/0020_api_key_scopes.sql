-- API keys get scopes. Keys made before could do everything a session could (except manage keys), so
-- existing rows keep every scope; new keys name theirs (lib/auth/scopes.ts).
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{read,jobs,supplier,billing}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_known" CHECK (cardinality("api_keys"."scopes") > 0 and "api_keys"."scopes" <@ '{read,jobs,supplier,billing}'::text[]);