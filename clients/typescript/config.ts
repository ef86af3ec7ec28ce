import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `backfill login` saves; the Python package reads and writes the same file. */
export interface SavedConfig {
  apiUrl?: string;
  apiKey?: string;
}

/** Environment variables, as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

export const DEFAULT_API_URL = 'http://localhost:3000';

/** `$BACKFILL_CONFIG`, else `$XDG_CONFIG_HOME/backfill/config.json`, else `~/.config/backfill/config.json`. */
export function configPath(env: Env = process.env): string {
  if (env.BACKFILL_CONFIG) return env.BACKFILL_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'backfill', 'config.json');
}

export function readConfig(file: string): SavedConfig {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    const { apiUrl, apiKey } = parsed as Record<string, unknown>;
    return {
      ...(typeof apiUrl === 'string' ? { apiUrl } : {}),
      ...(typeof apiKey === 'string' ? { apiKey } : {}),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Written whole (a temporary file renamed into place), readable by its owner only: it holds a secret. */
export function writeConfig(file: string, config: SavedConfig): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The API URL and key to use: a flag, else the environment, else the saved file, else the default URL. */
export function resolveCredentials(
  flags: { apiUrl?: string },
  env: Env,
  saved: SavedConfig,
): { apiUrl: string; apiKey: string | undefined } {
  return {
    apiUrl: flags.apiUrl || env.BACKFILL_API_URL || saved.apiUrl || DEFAULT_API_URL,
    apiKey: env.BACKFILL_API_KEY || saved.apiKey,
  };
}
