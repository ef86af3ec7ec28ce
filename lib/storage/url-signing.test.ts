import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signStoragePath, verifyStorageUrl, type StorageUrlClaims } from '@/lib/storage/url-signing';

const secret = randomBytes(32);
const now = new Date('2026-06-01T12:00:00Z');
const expires = now.getTime() / 1000 + 300;
const sha256 = 'ab'.repeat(32);

function split(path: string): { key: string; query: URLSearchParams } {
  const url = new URL(path, 'http://x');
  return { key: url.pathname.replace('/api/v1/storage/objects/', ''), query: url.searchParams };
}

function verify(
  path: string,
  overrides: { method?: string; key?: string; at?: Date; secrets?: Buffer[] } = {},
) {
  const { key, query } = split(path);
  return verifyStorageUrl({
    secrets: overrides.secrets ?? [secret],
    method: overrides.method ?? 'GET',
    key: overrides.key ?? key,
    query,
    now: overrides.at ?? now,
  });
}

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toMatchObject({ reason: 'invalid_signature', status: 403 });
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

const get: StorageUrlClaims = { method: 'GET', key: 'accounts/a1/outputs/result.bin', expires };
const put: StorageUrlClaims = {
  method: 'PUT',
  key: 'leases/9/checkpoints/c1',
  expires,
  sha256,
  size: 1024,
  contentType: 'application/x-tar',
};

describe('storage URL signatures', () => {
  it('accepts a URL it signed, for its method, until it expires', () => {
    expect(verify(signStoragePath(secret, get))).toEqual({
      ...get,
      sha256: undefined,
      size: undefined,
      contentType: undefined,
    });
    expect(verify(signStoragePath(secret, get), { method: 'HEAD' }).method).toBe('GET');
    expect(verify(signStoragePath(secret, put), { method: 'PUT' })).toEqual(put);
    expect(verify(signStoragePath(secret, get), { at: new Date(expires * 1000 - 1) }).key).toBe(get.key);
  });

  it('refuses it from the second it expires', () => {
    expect(refusal(() => verify(signStoragePath(secret, get), { at: new Date(expires * 1000) }))).toMatch(
      /expired/,
    );
  });

  it('refuses another key, another method, or any altered claim', () => {
    const path = signStoragePath(secret, get);
    refusal(() => verify(path, { key: 'accounts/a2/outputs/result.bin' }));
    refusal(() => verify(path, { method: 'PUT' }));
    refusal(() => verify(signStoragePath(secret, put), { method: 'GET' }));
    refusal(() => verify(path.replace(`expires=${expires}`, `expires=${expires + 86_400}`)));
    const putPath = signStoragePath(secret, put);
    refusal(() => verify(putPath.replace('size=1024', 'size=1025'), { method: 'PUT' }));
    refusal(() =>
      verify(putPath.replace(`sha256=${sha256}`, `sha256=${'cd'.repeat(32)}`), { method: 'PUT' }),
    );
    refusal(() => verify(putPath.replace('type=application%2Fx-tar', 'type=text%2Fhtml'), { method: 'PUT' }));
    refusal(() => verify(putPath, { method: 'DELETE' }));
  });

  it('refuses a tampered or missing signature, repeated or unknown parameters', () => {
    const path = signStoragePath(secret, get);
    const sig = new URL(path, 'http://x').searchParams.get('sig') as string;
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    refusal(() => verify(path.replace(sig, flipped)));
    refusal(() => verify(path.replace(`&sig=${sig}`, '')));
    refusal(() => verify(`${path}&sig=${sig}`));
    refusal(() => verify(`${path}&download=1`));
    refusal(() => verify(path.replace(`expires=${expires}`, `expires=0${expires}`)));
  });

  it('refuses a URL signed with another secret, and accepts an old one kept for rotation', () => {
    const old = randomBytes(32);
    const path = signStoragePath(old, get);
    refusal(() => verify(path));
    expect(verify(path, { secrets: [secret, old] }).key).toBe(get.key);
  });

  it('refuses a key outside the grammar even with a valid signature shape', () => {
    expect(() => verify(signStoragePath(secret, get), { key: '../etc/passwd' })).toThrow(
      expect.objectContaining({ reason: 'invalid_key' }),
    );
  });

  it('needs a secret of at least 32 bytes', () => {
    expect(() => signStoragePath(randomBytes(16), get)).toThrow(/32 bytes/);
  });
});
