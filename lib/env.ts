import { z } from 'zod';
import { agentVersionSchema } from '@/lib/agent/version';

/**
 * The one place configuration is read. Everything else asks `serverEnv()`; nothing here reaches the
 * browser. The defaults are the embedded stack: PGlite in `.data/`, no configuration.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** Hex-encoded secret of at least 32 bytes (64 hex characters). */
const hexSecret = z.string().regex(/^(0x)?([0-9a-fA-F]{2}){32,}$/, 'must be at least 32 bytes of hex');

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');

/** A comma-separated list of addresses (spaces allowed), lower-cased. */
const addressList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(address.transform((a) => a.toLowerCase())).min(1, 'must name at least one address'));

export const serverEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** PostgreSQL connection string. Unset → embedded PGlite under DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  /** Where embedded state lives (PGlite files). */
  DATA_DIR: z.string().min(1).default('.data'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Seed number for the deterministic demo network. */
  DEMO_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** How many nodes the demo network has. */
  DEMO_NODES: z.coerce.number().int().min(1).max(200_000).default(300),
  /**
   * Days of simulated history generated for the demo network (jobs, payments, incentives) before the first
   * start; 0 disables it. See docs/demo-network.md.
   */
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(730).default(400),
  /**
   * What the demo history does with jobs still going when it ends: hand them to the live queue (the default:
   * one network, the live scheduler places them), or, when false, have their customers cancel them then.
   */
  DEMO_HISTORY_HANDOVER: booleanFlag.default(true),
  /** Customers the demo history signs up over its span. Unset → about 4 per 3 demo nodes. */
  DEMO_HISTORY_CUSTOMERS: z.coerce.number().int().min(1).max(100_000).optional(),
  /** Whether the database holds the simulated demo network (shown as a banner in the UI). */
  DEMO_NETWORK: booleanFlag.default(true),
  /**
   * Run the background loops inside the web process (the embedded default). Set false when separate worker
   * processes run them, or when a benchmark needs the data to hold still.
   */
  EMBEDDED_WORKER: booleanFlag.default(true),
  /**
   * On SIGTERM a web instance stops accepting, ends its event streams with a reconnect hint and finishes the
   * requests and loop runs in flight; a worker finishes its runs and releases its locks. Either exits within
   * this bound.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  /**
   * EVM JSON-RPC endpoint (Base, Base Sepolia, …). Unset → `npm start` runs a local anvil chain with a mock
   * USDC and passes its settings to the web process.
   */
  CHAIN_RPC_URL: z.url().optional(),
  CHAIN_ID: z.coerce.number().int().positive().optional(),
  /** The USDC token contract on that chain. */
  USDC_ADDRESS: address.optional(),
  /**
   * Where customers deposit and payouts are sent from. On a configured chain it comes from
   * TREASURY_PRIVATE_KEY when unset; on the local chain it is development account 9.
   */
  TREASURY_ADDRESS: address.optional(),
  /** Signs payouts on a configured chain. A secret: set it in the environment, never in a file. */
  TREASURY_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex key')
    .optional(),
  /** Blocks a deposit must be buried under before it is credited (the block itself counts as 1). */
  CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).max(1000).optional(),
  /**
   * The first block the public reconciliation with the chain scans for the treasury's USDC transfers (the
   * treasury's balance just before it is the opening balance). Unset → 0; on a real chain set it to the
   * block the treasury was first used in.
   */
  RECONCILIATION_START_BLOCK: z.coerce.number().int().min(0).optional(),
  /**
   * The public origin of the dashboard (scheme, host, port). Sign-in messages must name its host, and
   * cookie-authenticated mutations must come from it. Unset → http://localhost:PORT (and 127.0.0.1).
   */
  APP_ORIGIN: z.url().optional(),
  /**
   * The server sits behind a proxy or load balancer that appends the client's address to X-Forwarded-For.
   * Only then are anonymous requests rate-limited per client; otherwise they share one bucket per endpoint
   * (a client could choose its own address in a header nobody overwrites).
   */
  TRUST_PROXY: booleanFlag.default(false),
  /** WalletConnect Cloud project id; unset → the WalletConnect option is not offered. */
  WALLETCONNECT_PROJECT_ID: z.string().min(1).optional(),
  /** How often agents heartbeat (the reply carries assignments and cancellations). */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(500).max(300_000).default(5_000),
  /** A node silent this long is lost: its leases end and its jobs requeue from their last checkpoint. */
  NODE_LOST_AFTER_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  /** How often the scheduler places queued jobs (and the liveness check runs). */
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** The platform's share of every charge, in basis points (1,000 = 10 %). */
  TAKE_RATE_BP: z.coerce.number().int().min(0).max(5_000).default(1_000),
  /**
   * Signs job receipts (EIP-191). A secret: set it in the environment at scale (every instance the same).
   * Unset → a key generated once and kept in DATA_DIR (embedded stack).
   */
  RECEIPT_SIGNING_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex key')
    .optional(),
  /**
   * Sizes of the GPU proof (docs/verification.md): `production` (8192×2048 rounds, as many as the claimed model
   * needs for BENCHMARK_REFERENCE_MS) or `development` (a few 64×64 rounds any CPU does at once, expected to take
   * BENCHMARK_REFERENCE_MS: they prove the protocol, not the GPU). Unset → development while the simulated demo
   * network runs (DEMO_NETWORK), production otherwise.
   */
  GPU_PROOF_SIZE: z.enum(['production', 'development']).optional(),
  /** How long an honest GPU of the claimed model takes for the GPU proof's timed phase; the server times it. */
  BENCHMARK_REFERENCE_MS: z.coerce.number().int().min(200).max(600_000).default(20_000),
  /** A verified node is benchmarked again when its last pass is older than this. */
  REVERIFY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(7 * 24 * 3_600_000),
  /**
   * The oldest node agent the marketplace accepts (a semantic version, e.g. 0.2.0): an older agent is refused
   * at registration and its heartbeats are answered 426 until it is updated. Unset → any version.
   */
  MIN_AGENT_VERSION: agentVersionSchema.optional(),
  /** Chance that a node's next assignment, after each one it finishes, is a canary job with a known answer. */
  CANARY_RATE: z.coerce.number().min(0).max(1).default(0.05),
  /**
   * Wallet addresses (comma-separated) of the demo's operators: the accounts that may use the simulation
   * controls (make a simulated node vanish) on any demo node. Unset → on the local chain only, its public
   * development accounts; on any other chain, nobody. A node's own supplier may always use them on that node.
   * See docs/demo-network.md.
   */
  SIMULATION_OPERATORS: addressList.optional(),
  /** Port of the simulated fleet's control endpoint (kill / revive nodes), on 127.0.0.1 only. */
  FLEET_CONTROL_PORT: z.coerce.number().int().min(1).max(65535).default(8646),
  /** Share of the simulated fleet's verified, heartbeating nodes that secretly skip work (docs/fleet.md). */
  FLEET_SKIP_CHEATER_SHARE: z.coerce.number().min(0).max(1).default(0.02),
  /** How often such a skip-work cheater skips an assignment, reporting it done without computing it. */
  FLEET_SKIP_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  /** Whether the simulated fleet also runs demo customers launching jobs through the API. */
  DEMO_DEMAND: booleanFlag.default(true),
  /** Port of the embedded local chain. */
  LOCAL_CHAIN_PORT: z.coerce.number().int().min(1).max(65535).default(8545),
  /** Maximum pooled connections when DATABASE_URL is set. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Length of an incentive epoch; it must divide a day so every epoch belongs to one UTC day. */
  INCENTIVE_EPOCH_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(86_400_000)
    .refine((ms) => 86_400_000 % ms === 0, 'must divide a day (86,400,000 ms) evenly')
    .default(3_600_000),
  /** Whole network tokens emitted per epoch at genesis, shared over verified online GPU-seconds. */
  INCENTIVE_EMISSION_PER_EPOCH: z.coerce.number().int().min(0).max(1_000_000_000).default(1_000),
  /** The emission per epoch halves every this many days after genesis. */
  INCENTIVE_HALVING_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Start of the emission schedule; no epoch starts before it. */
  INCENTIVE_GENESIS: z.iso.datetime({ offset: true }).default('2026-01-01T00:00:00Z'),
  /** USD reference price of one network token (decimal, up to 6 places), recorded with each emission. */
  INCENTIVE_USD_PRICE: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,6})?$/, 'must be a decimal USD price such as 0.05')
    .default('0.05'),
  /**
   * Where job inputs, outputs and checkpoints live. `local` (the default): under DATA_DIR/blobs, served by the
   * marketplace API through short-lived signed URLs. `s3`: any S3-compatible bucket (AWS S3, Cloudflare R2,
   * MinIO, Ceph RGW) named by the S3_* variables, with presigned URLs, so bytes never pass through the web tier.
   */
  STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
  /**
   * Signs the embedded store's URLs (hex, at least 32 bytes; the same on every instance). Unset → a key
   * generated once and kept in DATA_DIR. Old keys that still verify during a rotation go in
   * STORAGE_PREVIOUS_SIGNING_KEYS (comma-separated).
   */
  STORAGE_SIGNING_KEY: hexSecret.optional(),
  STORAGE_PREVIOUS_SIGNING_KEYS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(hexSecret))
    .optional(),
  /** The S3 endpoint (e.g. https://<account>.r2.cloudflarestorage.com); unset → AWS's own for S3_REGION. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).max(64).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
    .optional(),
  /** Both or neither: without them the AWS SDK's own credential chain applies (AWS_* variables, a role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path rather than the host name: MinIO, Ceph and most self-hosted servers need it. */
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  /** Keys live under this prefix in the bucket (ending in "/"), so one bucket can serve several deployments. */
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*\/)*$/, 'must be empty or segments each ending in "/"')
    .default(''),
  /** Send SHA-256 checksums to the server as well; turn off only for a server that rejects them. */
  S3_CHECKSUMS: booleanFlag.default(true),
  /** Bytes of inputs, outputs and checkpoints one account may keep (10 GiB by default). */
  STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 50)
    .default(10 * 1024 ** 3),
  /** The largest single file (input, output or checkpoint) accepted (5 GiB by default, S3's one-PUT limit). */
  STORAGE_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(5 * 1024 ** 3),
  /** Days a finished job's outputs are kept before they are deleted; 0 keeps them until the customer deletes them. */
  STORAGE_OUTPUT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Days an uploaded input no job uses any more is kept; 0 keeps it until the customer deletes it. */
  STORAGE_INPUT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

let cached: ServerEnv | undefined;

/** Parses and caches the server configuration; throws one readable error naming every bad variable. */
export function serverEnv(): ServerEnv {
  if (cached) return cached;
  cached = parseServerEnv(process.env);
  return cached;
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = serverEnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const env = result.data;
  if (env.STORAGE_BACKEND === 's3' && !env.S3_BUCKET)
    throw new Error('Invalid configuration: S3_BUCKET: required when STORAGE_BACKEND is s3');
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY))
    throw new Error(
      'Invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (both or neither)',
    );
  return env;
}
