import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';

/**
 * `<DATA_DIR>/fleet/credentials.json`: what provisioning (which has the database) hands the simulated fleet
 * (which only speaks HTTP): each demo node's id, name, node token and hidden profile, and the demo customers'
 * API keys. Secrets, so the file is readable by its owner only.
 */

export const ARCHETYPE_IDS = ['datacenter', 'lab', 'miner', 'gamer'] as const;

/**
 * How a dishonest node cheats, beyond claiming a faster GPU than it has (that shows in `performanceFactor`).
 * `skip_work`: it skips a share of its assignments — reports progress and completes on schedule, but computes
 * nothing, so a skipped canary's result is wrong.
 */
export const cheatSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('skip_work'), skipShare: z.number().min(0).max(1) }),
]);
export type Cheat = z.infer<typeof cheatSchema>;

export const hiddenProfileSchema = z.object({
  archetype: z.enum(ARCHETYPE_IDS),
  /** Long-run share of time up, mean down period (hours) and share of downs that are silent losses. */
  uptime: z.number().min(0).max(1),
  meanDownHours: z.number().positive(),
  lostShare: z.number().min(0).max(1),
  /** Real throughput ÷ the claimed model's reference: first benchmark score ÷ relativeThroughput. */
  performanceFactor: z.number().positive(),
  /** Null for an honest node. Absent in files written before cheats existed: honest. */
  cheat: cheatSchema.nullable().default(null),
});
export type HiddenProfile = z.infer<typeof hiddenProfileSchema>;

export const fleetNodeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  token: z.string().min(1),
  region: z.string(),
  gpuModel: z.enum(GPU_MODEL_IDS),
  gpuCount: z.number().int().min(1),
  /** Whether the virtual agent heartbeats from the start (the seeded status was online or busy). */
  heartbeats: z.boolean(),
  /** Quarantined nodes never heartbeat, not even when revived by hand. */
  quarantined: z.boolean(),
  profile: hiddenProfileSchema,
});
export type FleetNode = z.infer<typeof fleetNodeSchema>;

export const demandCustomerSchema = z.object({
  accountId: z.uuid(),
  name: z.string(),
  apiKey: z.string().min(1),
});
export type DemandCustomer = z.infer<typeof demandCustomerSchema>;

export const fleetCredentialsSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  nodes: z.array(fleetNodeSchema),
  customers: z.array(demandCustomerSchema),
});
export type FleetCredentials = z.infer<typeof fleetCredentialsSchema>;

export function credentialsPath(dataDir: string): string {
  return path.resolve(dataDir, 'fleet', 'credentials.json');
}

/** The credentials file, or null when there is none; a damaged file is an error naming the problem. */
export function readCredentials(file: string): FleetCredentials | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = fleetCredentialsSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${file} is not a fleet credentials file: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data;
}

/** Written to a temporary file and renamed into place, mode 0600 in a 0700 directory. */
export function writeCredentials(file: string, credentials: FleetCredentials): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
