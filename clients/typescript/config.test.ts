import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath, DEFAULT_API_URL, readConfig, resolveCredentials, writeConfig } from './config';

describe('the saved configuration', () => {
  it('lives where $BACKFILL_CONFIG, else $XDG_CONFIG_HOME, else ~/.config says', () => {
    expect(configPath({ BACKFILL_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/backfill/config.json');
    expect(configPath({})).toBe(path.join(os.homedir(), '.config/backfill/config.json'));
  });

  it('is written for its owner only and read back; a missing file is empty, a broken one an error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-config-'));
    const file = path.join(dir, 'nested', 'config.json');
    expect(readConfig(file)).toEqual({});
    writeConfig(file, { apiUrl: 'https://m.example', apiKey: 'bfk_secret' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readConfig(file)).toEqual({ apiUrl: 'https://m.example', apiKey: 'bfk_secret' });
    writeFileSync(file, '{"apiKey": 7, "apiUrl": "u"}');
    expect(readConfig(file)).toEqual({ apiUrl: 'u' });
    writeFileSync(file, 'not json');
    expect(() => readConfig(file)).toThrow(/cannot read/);
    expect(readFileSync(file, 'utf8')).toBe('not json');
  });

  it('resolves a flag over the environment over the file over the default', () => {
    const env = { BACKFILL_API_URL: 'https://env', BACKFILL_API_KEY: 'bfk_env' };
    const saved = { apiUrl: 'https://saved', apiKey: 'bfk_saved' };
    expect(resolveCredentials({ apiUrl: 'https://flag' }, env, saved)).toEqual({
      apiUrl: 'https://flag',
      apiKey: 'bfk_env',
    });
    expect(resolveCredentials({}, {}, saved)).toEqual(saved);
    expect(resolveCredentials({}, {}, {})).toEqual({
      apiUrl: DEFAULT_API_URL,
      apiKey: undefined,
    });
  });
});
