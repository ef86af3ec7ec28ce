import { describe, expect, it } from 'vitest';
import { isStorageError } from '@/lib/storage/errors';
import { assertKeyPrefix, assertObjectKey, isObjectKey, normalizeContentType } from '@/lib/storage/keys';
import { HOSTILE_KEYS } from '@/lib/testing/storage-fixtures';

describe('object keys', () => {
  it('accepts the grammar: segments of [A-Za-z0-9._-] starting with a letter or digit', () => {
    for (const key of [
      'a',
      'accounts/7f3a9c1e-0000-4000-8000-000000000000/inputs/' + 'ab'.repeat(32),
      'leases/42/checkpoints/step-000100.ckpt',
      'A.b_c-d/0',
      `${'s'.repeat(128)}/x`,
      `${'a/'.repeat(15)}a`,
    ])
      expect(isObjectKey(key), key).toBe(true);
  });

  it.each(HOSTILE_KEYS)('refuses %j', (key) => {
    expect(isObjectKey(key)).toBe(false);
    expect(() => assertObjectKey(key)).toThrow(expect.objectContaining({ reason: 'invalid_key' }));
  });

  it('says why a key is refused', () => {
    try {
      assertObjectKey('a//b');
      expect.unreachable();
    } catch (error) {
      expect(isStorageError(error, 'invalid_key')).toBe(true);
      expect((error as Error).message).toMatch(/empty segment/);
    }
  });
});

describe('key prefixes', () => {
  it('accepts the start of a key, with or without a trailing slash', () => {
    for (const prefix of ['', 'accounts/', 'accounts/7f', 'accounts/7f3a/inputs/', 'a'])
      expect(assertKeyPrefix(prefix)).toBe(prefix);
  });

  it.each(['/', '//', '../', 'a//', '/a', '.staging/', 'a/../', 'a/.x'])('refuses %j', (prefix) => {
    expect(() => assertKeyPrefix(prefix)).toThrow(expect.objectContaining({ reason: 'invalid_key' }));
  });
});

describe('content types', () => {
  it('defaults to application/octet-stream and keeps plain MIME types', () => {
    expect(normalizeContentType(undefined)).toBe('application/octet-stream');
    expect(normalizeContentType('text/plain; charset=utf-8')).toBe('text/plain; charset=utf-8');
    expect(normalizeContentType('application/vnd.backfill.checkpoint+tar')).toBe(
      'application/vnd.backfill.checkpoint+tar',
    );
  });

  it.each(['text', 'text/plain\r\nX-Evil: 1', 'a/b; c', '/plain', 'x'.repeat(300) + '/y'])(
    'refuses %j',
    (value) => {
      expect(() => normalizeContentType(value)).toThrow(
        expect.objectContaining({ reason: 'invalid_argument' }),
      );
    },
  );
});
