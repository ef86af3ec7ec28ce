import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '@/lib/storage/store';
import { storageBackends, type StorageBackend } from '@/lib/testing/storage-backends';
import {
  HOSTILE_KEYS,
  MiB,
  generatedBody,
  generatedSha256,
  measureRssGrowth,
  readAll,
  sha256Of,
} from '@/lib/testing/storage-fixtures';

/** The object half of the blob store contract, run against both backends (uploads and URLs: the other file). */
const backends = storageBackends();

for (const { name, skipReason } of backends.filter((backend) => !backend.factory))
  describe.skip(`blob store contract: ${name} (${skipReason})`, () => {
    it('is skipped', () => undefined);
  });

describe.each(backends.filter((backend) => backend.factory))('blob store contract: $name', ({ factory }) => {
  let backend: StorageBackend;
  let store: BlobStore;
  /** A fresh key space per test, so tests never see each other's objects. */
  let space: string;
  const key = (name: string) => `${space}/${name}`;

  beforeAll(async () => {
    backend = await (factory as NonNullable<typeof factory>)();
    store = backend.store;
  });
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(() => {
    backend.clock.set(Date.now());
    space = `t${randomBytes(6).toString('hex')}`;
  });

  async function put(name: string, data: Buffer, contentType?: string) {
    return store.put(key(name), Readable.from([data]), { maxBytes: data.length, contentType });
  }

  it('round-trips an object with its size, sha256, content type and creation time', async () => {
    const data = Buffer.from('hello, backfill\n');
    const before = Date.now() - 2_000;
    const info = await put('greeting.txt', data, 'text/plain; charset=utf-8');
    const sha256 = await sha256Of(data);
    expect(info).toMatchObject({
      key: key('greeting.txt'),
      size: data.length,
      sha256,
      contentType: 'text/plain; charset=utf-8',
    });
    const head = await store.head(key('greeting.txt'));
    expect(head).toMatchObject({ size: data.length, sha256, contentType: 'text/plain; charset=utf-8' });
    expect(head?.createdAt.getTime()).toBeGreaterThan(before);
    const object = await store.get(key('greeting.txt'));
    expect(object).toMatchObject({ start: 0, end: data.length - 1, info: { sha256 } });
    expect(await readAll(object.body)).toEqual(data);
  });

  it('serves byte ranges, cut at the end, and refuses one that starts past it', async () => {
    const data = randomBytes(1000);
    await put('r.bin', data);
    const middle = await store.get(key('r.bin'), { start: 10, end: 19 });
    expect([middle.start, middle.end]).toEqual([10, 19]);
    expect(await readAll(middle.body)).toEqual(data.subarray(10, 20));
    const tail = await store.get(key('r.bin'), { start: 990 });
    expect(await readAll(tail.body)).toEqual(data.subarray(990));
    const clipped = await store.get(key('r.bin'), { start: 995, end: 5000 });
    expect([clipped.start, clipped.end]).toEqual([995, 999]);
    expect(await readAll(clipped.body)).toEqual(data.subarray(995));
    await expect(store.get(key('r.bin'), { start: 1000 })).rejects.toMatchObject({ reason: 'invalid_range' });
  });

  it('stores an empty object', async () => {
    const info = await put('empty', Buffer.alloc(0));
    expect(info).toMatchObject({ size: 0, sha256: await sha256Of(Buffer.alloc(0)) });
    expect(await readAll((await store.get(key('empty'))).body)).toHaveLength(0);
  });

  it('replaces an object, deletes it once, and then knows nothing of it', async () => {
    await put('v', Buffer.from('one'));
    await put('v', Buffer.from('two'));
    expect(await readAll((await store.get(key('v'))).body)).toEqual(Buffer.from('two'));
    expect(await store.delete(key('v'))).toBe(true);
    expect(await store.delete(key('v'))).toBe(false);
    expect(await store.head(key('v'))).toBeNull();
    await expect(store.get(key('v'))).rejects.toMatchObject({ reason: 'not_found', status: 404 });
  });

  it.each([
    ['fits one part', 1000],
    ['spans several parts', 12 * MiB + 3],
  ])('leaves nothing behind for a sha256 mismatch (%s), not even over an older object', async (_, size) => {
    await put('kept', Buffer.from('the older object'));
    const wrong = await generatedSha256(size, 2);
    await expect(
      store.put(key('kept'), generatedBody(size), { maxBytes: size, expectedSha256: wrong }),
    ).rejects.toMatchObject({ reason: 'sha256_mismatch' });
    await expect(
      store.put(key('new'), generatedBody(size), { maxBytes: size, expectedSha256: wrong }),
    ).rejects.toMatchObject({ reason: 'sha256_mismatch' });
    expect(await store.head(key('new'))).toBeNull();
    expect(await readAll((await store.get(key('kept'))).body)).toEqual(Buffer.from('the older object'));
    expect((await store.list(`${space}/`)).objects.map((o) => o.key)).toEqual([key('kept')]);
  });

  it('accepts the body when it matches the announced sha256, in one part or many', async () => {
    for (const size of [1000, 12 * MiB + 3]) {
      const sha256 = await generatedSha256(size);
      const info = await store.put(key(`ok-${size}`), generatedBody(size), {
        maxBytes: size,
        expectedSha256: sha256,
      });
      expect(info).toMatchObject({ size, sha256 });
      expect(await sha256Of((await store.get(key(`ok-${size}`))).body)).toBe(sha256);
    }
  });

  it('refuses an oversize body while it streams, without reading it all, and keeps nothing', async () => {
    let pulled = 0;
    const endless = generatedBody(1024 * MiB, { onChunk: (bytes) => (pulled += bytes) });
    await expect(store.put(key('big'), endless, { maxBytes: 3 * MiB })).rejects.toMatchObject({
      reason: 'too_large',
    });
    expect(pulled).toBeLessThan(32 * MiB);
    expect(await store.head(key('big'))).toBeNull();
    expect((await store.list(`${space}/`)).objects).toEqual([]);
  });

  it('refuses keys that could climb out, hide, or escape, in every operation', async () => {
    for (const hostile of HOSTILE_KEYS) {
      const refused = expect.objectContaining({ reason: 'invalid_key' });
      await expect(store.put(hostile, Readable.from([Buffer.from('x')]), { maxBytes: 1 })).rejects.toEqual(
        refused,
      );
      await expect(store.head(hostile)).rejects.toEqual(refused);
      await expect(store.get(hostile)).rejects.toEqual(refused);
      await expect(store.delete(hostile)).rejects.toEqual(refused);
      await expect(store.createUpload(hostile, { maxBytes: 1 })).rejects.toEqual(refused);
      await expect(store.signedUrl({ key: hostile, method: 'GET', expiresInSeconds: 60 })).rejects.toEqual(
        refused,
      );
    }
    await expect(store.list('../')).rejects.toMatchObject({ reason: 'invalid_key' });
    await expect(store.list('/')).rejects.toMatchObject({ reason: 'invalid_key' });
  });

  it('refuses bad options before reading anything', async () => {
    const body = Readable.from([Buffer.from('x')]);
    await expect(store.put(key('o'), body, { maxBytes: -1 })).rejects.toMatchObject({
      reason: 'invalid_argument',
    });
    await expect(store.put(key('o'), body, { maxBytes: 1, expectedSha256: 'XYZ' })).rejects.toMatchObject({
      reason: 'invalid_argument',
    });
    await expect(
      store.put(key('o'), body, { maxBytes: 1, contentType: 'text/html\r\nx: y' }),
    ).rejects.toMatchObject({
      reason: 'invalid_argument',
    });
  });

  it('lists by prefix in byte order of the keys, a page at a time', async () => {
    const names = ['a/1', 'a/2', 'a/b-x', 'a/b/c', 'a/b0', 'ab', 'b/1', 'a/b/d/e'];
    for (const name of names) await put(name, Buffer.from(name));
    const all = async (prefix: string, limit: number) => {
      const keys: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await store.list(prefix, { cursor, limit });
        expect(page.objects.length).toBeLessThanOrEqual(limit);
        keys.push(...page.objects.map((o) => o.key));
        if (!page.nextCursor) return keys;
        cursor = page.nextCursor;
      }
      throw new Error('too many pages');
    };
    const sorted = names.map(key).sort();
    expect(await all(`${space}/`, 1000)).toEqual(sorted);
    expect(await all(`${space}/`, 3)).toEqual(sorted);
    expect(await all(`${space}/a/`, 2)).toEqual(sorted.filter((k) => k.startsWith(key('a/'))));
    expect(await all(`${space}/a`, 1)).toEqual(sorted.filter((k) => k.startsWith(key('a'))));
    expect(await all(`${space}/a/b`, 2)).toEqual([key('a/b-x'), key('a/b/c'), key('a/b/d/e'), key('a/b0')]);
    expect(await all(`${space}/zzz`, 5)).toEqual([]);
    const page = await store.list(`${space}/b/`);
    expect(page.objects[0]).toMatchObject({ key: key('b/1'), size: 3 });
    expect(page.objects[0]?.lastModified).toBeInstanceOf(Date);
  });

  it('streams a 64 MiB object in and out with memory that stays flat', async () => {
    const size = 64 * MiB;
    const sha256 = await generatedSha256(size);
    const upload = await measureRssGrowth(() =>
      store.put(key('large.bin'), generatedBody(size), { maxBytes: size, expectedSha256: sha256 }),
    );
    expect(upload.result).toMatchObject({ size, sha256 });
    const download = await measureRssGrowth(async () => sha256Of((await store.get(key('large.bin'))).body));
    expect(download.result).toBe(sha256);
    const growth = Math.max(upload.growthBytes, download.growthBytes);
    // The object is 64 MiB; buffers are a few MiB (local) or three 5 MiB parts (S3).
    expect(growth, `resident memory grew by ${(growth / MiB).toFixed(1)} MiB`).toBeLessThan(40 * MiB);
  });
});
