CREATE TABLE "metrics_exports" (
	"day" date PRIMARY KEY NOT NULL,
	"content" text NOT NULL,
	"sha256" text NOT NULL,
	"previous_chain_hash" text NOT NULL,
	"chain_hash" text NOT NULL,
	"signer" text NOT NULL,
	"signature" text NOT NULL,
	"row_counts" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
