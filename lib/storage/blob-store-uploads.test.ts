import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '@/lib/storage/store';
import { fetchSigned, storageBackends, type StorageBackend } from '@/lib/testing/storage-backends';
import { MiB, generatedBody, readAll, sha256Of } from '@/lib/testing/storage-fixtures';

/** The upload and signed-URL half of the blob store contract, run against both backends. */
const backends = storageBackends();

for (const { name, skipReason } of backends.filter((backend) => !backend.factory))
  describe.skip(`blob store uploads and URLs: ${name} (${skipReason})`, () => {
    it('is skipped', () => undefined);
  });

/** A part's bytes, made again identically whenever needed: the test never holds an upload whole. */
function partBody(size: number, seed: number): Readable {
  return generatedBody(size, { seed });
}

async function partSha256(size: number, seed: number): Promise<string> {
  return sha256Of(partBody(size, seed));
}

/** sha256 of parts concatenated in order, streamed. */
async function concatenatedSha256(parts: readonly { size: number; seed: number }[]): Promise<string> {
  async function* all() {
    for (const part of parts) yield* partBody(part.size, part.seed) as AsyncIterable<Buffer>;
  }
  return sha256Of(all());
}

describe.each(backends.filter((backend) => backend.factory))(
  'blob store uploads and URLs: $name',
  ({ factory }) => {
    let backend: StorageBackend;
    let store: BlobStore;
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
      space = `u${randomBytes(6).toString('hex')}`;
    });

    async function sendPart(
      target: BlobStore,
      uploadId: string,
      partNumber: number,
      size: number,
      seed: number,
    ) {
      return target.putPart(uploadId, partNumber, partBody(size, seed), {
        size,
        sha256: await partSha256(size, seed),
      });
    }

    describe('multipart uploads', () => {
      it('resumes after a crash: a new instance lists the parts received, takes the rest, and verifies the whole', async () => {
        const parts = [
          { size: 5 * MiB, seed: 11 },
          { size: 5 * MiB, seed: 12 },
          { size: 3 * MiB + 7, seed: 13 },
        ];
        const total = parts.reduce((sum, part) => sum + part.size, 0);
        const sha256 = await concatenatedSha256(parts);
        const upload = await store.createUpload(key('ckpt.tar'), {
          maxBytes: total,
          expectedSha256: sha256,
          contentType: 'application/x-tar',
        });
        expect(upload).toMatchObject({
          key: key('ckpt.tar'),
          maxBytes: total,
          expectedSha256: sha256,
          contentType: 'application/x-tar',
        });
        expect(upload.uploadId).toMatch(/^[0-9a-f]{32}$/);
        // Parts 1 and 3 arrive, then the process dies.
        await sendPart(store, upload.uploadId, 1, parts[0]!.size, parts[0]!.seed);
        await sendPart(store, upload.uploadId, 3, parts[2]!.size, parts[2]!.seed);
        expect(await store.head(key('ckpt.tar'))).toBeNull();

        const restarted = backend.reopen();
        const state = await restarted.listParts(upload.uploadId);
        expect(state.upload).toMatchObject({
          uploadId: upload.uploadId,
          key: key('ckpt.tar'),
          maxBytes: total,
          expectedSha256: sha256,
        });
        expect(state.parts.map(({ partNumber, size }) => ({ partNumber, size }))).toEqual([
          { partNumber: 1, size: parts[0]!.size },
          { partNumber: 3, size: parts[2]!.size },
        ]);
        // Where the backend reports part hashes, they are the parts' own.
        for (const part of state.parts)
          if (part.sha256 !== null)
            expect(part.sha256).toBe(
              await partSha256(parts[part.partNumber - 1]!.size, parts[part.partNumber - 1]!.seed),
            );

        await sendPart(restarted, upload.uploadId, 2, parts[1]!.size, parts[1]!.seed);
        const info = await restarted.completeUpload(upload.uploadId);
        expect(info).toMatchObject({
          key: key('ckpt.tar'),
          size: total,
          sha256,
          contentType: 'application/x-tar',
        });
        expect(await sha256Of((await store.get(key('ckpt.tar'))).body)).toBe(sha256);
        const tail = await store.get(key('ckpt.tar'), { start: total - 7 });
        expect(await readAll(tail.body)).toEqual(
          (await readAll(partBody(parts[2]!.size, parts[2]!.seed))).subarray(-7),
        );
        await expect(store.listParts(upload.uploadId)).rejects.toMatchObject({ reason: 'upload_not_found' });
        // Staging and bookkeeping are gone: only the object is listed.
        expect((await store.list(`${space}/`)).objects.map((o) => o.key)).toEqual([key('ckpt.tar')]);
      });

      it('refuses to assemble a gap or a short part before the last, and lets the client fix it', async () => {
        const upload = await store.createUpload(key('gappy'), { maxBytes: 20 * MiB });
        await sendPart(store, upload.uploadId, 1, MiB, 1);
        await sendPart(store, upload.uploadId, 2, MiB, 2);
        await expect(store.completeUpload(upload.uploadId)).rejects.toMatchObject({
          reason: 'invalid_parts',
        });
        await sendPart(store, upload.uploadId, 1, 5 * MiB, 3); // replaces part 1
        await sendPart(store, upload.uploadId, 4, MiB, 4);
        await expect(store.completeUpload(upload.uploadId)).rejects.toMatchObject({
          reason: 'invalid_parts',
        });
        expect((await store.listParts(upload.uploadId)).parts.map((p) => [p.partNumber, p.size])).toEqual([
          [1, 5 * MiB],
          [2, MiB],
          [4, MiB],
        ]);
        await store.abortUpload(upload.uploadId);
        const fresh = await store.createUpload(key('gappy'), { maxBytes: 20 * MiB });
        await sendPart(store, fresh.uploadId, 1, 5 * MiB, 3);
        await sendPart(store, fresh.uploadId, 2, MiB, 2);
        const info = await store.completeUpload(fresh.uploadId);
        expect(info.sha256).toBe(
          await concatenatedSha256([
            { size: 5 * MiB, seed: 3 },
            { size: MiB, seed: 2 },
          ]),
        );
      });

      it('keeps nothing of a part whose bytes do not match its sha256 or its size', async () => {
        const upload = await store.createUpload(key('p'), { maxBytes: 20 * MiB });
        const size = MiB;
        const otherSha = await partSha256(size, 99);
        await expect(
          store.putPart(upload.uploadId, 1, partBody(size, 1), { size, sha256: otherSha }),
        ).rejects.toMatchObject({ reason: 'sha256_mismatch' });
        await expect(
          store.putPart(upload.uploadId, 2, partBody(size - 1, 1), {
            size,
            sha256: await partSha256(size, 1),
          }),
        ).rejects.toMatchObject({ reason: 'size_mismatch' });
        await expect(
          store.putPart(upload.uploadId, 3, partBody(size + 1, 1), {
            size,
            sha256: await partSha256(size, 1),
          }),
        ).rejects.toMatchObject({ reason: 'size_mismatch' });
        expect((await store.listParts(upload.uploadId)).parts).toEqual([]);
        await store.abortUpload(upload.uploadId);
      });

      it('drops the whole upload when the assembled bytes do not match the expected sha256', async () => {
        const upload = await store.createUpload(key('wrong'), {
          maxBytes: 20 * MiB,
          expectedSha256: 'ab'.repeat(32),
        });
        await sendPart(store, upload.uploadId, 1, 5 * MiB, 1);
        await sendPart(store, upload.uploadId, 2, 2 * MiB, 2);
        await expect(store.completeUpload(upload.uploadId)).rejects.toMatchObject({
          reason: 'sha256_mismatch',
        });
        expect(await store.head(key('wrong'))).toBeNull();
        await expect(store.listParts(upload.uploadId)).rejects.toMatchObject({ reason: 'upload_not_found' });
        expect((await store.list(`${space}/`)).objects).toEqual([]);
      });

      it("bounds parts and their total by the upload's limit", async () => {
        const upload = await store.createUpload(key('bounded'), { maxBytes: 6 * MiB });
        await expect(sendPart(store, upload.uploadId, 1, 7 * MiB, 1)).rejects.toMatchObject({
          reason: 'too_large',
        });
        await sendPart(store, upload.uploadId, 1, 5 * MiB, 1);
        await sendPart(store, upload.uploadId, 2, 2 * MiB, 2);
        await expect(store.completeUpload(upload.uploadId)).rejects.toMatchObject({ reason: 'too_large' });
        expect(await store.head(key('bounded'))).toBeNull();
        await store.abortUpload(upload.uploadId);
      });

      it('aborts: the parts and the upload are gone', async () => {
        const upload = await store.createUpload(key('gone'), { maxBytes: 10 * MiB });
        await sendPart(store, upload.uploadId, 1, MiB, 1);
        expect(await store.abortUpload(upload.uploadId)).toBe(true);
        expect(await store.abortUpload(upload.uploadId)).toBe(false);
        await expect(store.listParts(upload.uploadId)).rejects.toMatchObject({ reason: 'upload_not_found' });
        await expect(sendPart(store, upload.uploadId, 2, MiB, 2)).rejects.toMatchObject({
          reason: 'upload_not_found',
        });
        await expect(store.completeUpload(upload.uploadId)).rejects.toMatchObject({
          reason: 'upload_not_found',
        });
      });

      it('takes only upload ids it could have issued, and part numbers 1–10,000', async () => {
        for (const id of ['../../etc', 'ABCDEF', '', `${'0'.repeat(31)}/`])
          await expect(store.listParts(id)).rejects.toMatchObject({ reason: 'invalid_upload_id' });
        await expect(store.listParts(randomBytes(16).toString('hex'))).rejects.toMatchObject({
          reason: 'upload_not_found',
        });
        const upload = await store.createUpload(key('n'), { maxBytes: MiB });
        for (const partNumber of [0, 10_001, 1.5])
          await expect(sendPart(store, upload.uploadId, partNumber, 10, 1)).rejects.toMatchObject({
            reason: 'invalid_argument',
          });
        await store.abortUpload(upload.uploadId);
      });
    });

    describe('signed URLs', () => {
      const data = Buffer.from('signed bytes 0123456789');

      async function stored(name: string) {
        await store.put(key(name), Readable.from([data]), {
          maxBytes: data.length,
          contentType: 'text/plain',
        });
        return key(name);
      }

      it('a GET URL serves its object, and byte ranges of it', async () => {
        const signed = await store.signedUrl({
          key: await stored('a.txt'),
          method: 'GET',
          expiresInSeconds: 60,
        });
        // URLs carry whole seconds.
        expect(Math.abs(signed.expiresAt.getTime() - (backend.clock.now().getTime() + 60_000))).toBeLessThan(
          1000,
        );
        const whole = await fetchSigned(signed);
        expect(whole.status).toBe(200);
        expect(whole.body).toEqual(data);
        expect(whole.headers.get('content-type')).toBe('text/plain');
        const part = await fetchSigned(signed, { extraHeaders: { range: 'bytes=7-11' } });
        expect(part.status).toBe(206);
        expect(part.body).toEqual(data.subarray(7, 12));
        expect(part.headers.get('content-range')).toBe(`bytes 7-11/${data.length}`);
      });

      it('an expired URL is refused', async () => {
        const now = backend.clock.now();
        backend.clock.set(now.getTime() - 2 * 3600_000);
        const signed = await store.signedUrl({
          key: await stored('old.txt'),
          method: 'GET',
          expiresInSeconds: 3600,
        });
        backend.clock.set(now);
        expect((await fetchSigned(signed)).status).toBe(403);
      });

      it('a tampered URL is refused, and one key’s URL opens no other key', async () => {
        const signed = await store.signedUrl({
          key: await stored('mine.txt'),
          method: 'GET',
          expiresInSeconds: 60,
        });
        await stored('theirs.txt');
        expect(
          (await fetchSigned(signed, { url: signed.url.replace('mine.txt', 'theirs.txt') })).status,
        ).toBe(403);
        const url = new URL(signed.url);
        const sigName = url.searchParams.has('sig') ? 'sig' : 'X-Amz-Signature';
        const sig = url.searchParams.get(sigName) as string;
        url.searchParams.set(sigName, (sig.startsWith('a') ? 'b' : 'a') + sig.slice(1));
        expect((await fetchSigned(signed, { url: url.toString() })).status).toBe(403);
        const longer = new URL(signed.url);
        const expiresName = longer.searchParams.has('expires') ? 'expires' : 'X-Amz-Expires';
        longer.searchParams.set(expiresName, String(Number(longer.searchParams.get(expiresName)) + 3600));
        expect((await fetchSigned(signed, { url: longer.toString() })).status).toBe(403);
      });

      it('a GET URL cannot write, and a PUT URL cannot read', async () => {
        const name = await stored('rw.txt');
        const get = await store.signedUrl({ key: name, method: 'GET', expiresInSeconds: 60 });
        expect((await fetchSigned(get, { method: 'PUT', body: Buffer.from('overwritten!') })).status).toBe(
          403,
        );
        expect(await readAll((await store.get(name)).body)).toEqual(data);
        const put = await store.signedUrl({
          key: name,
          method: 'PUT',
          expiresInSeconds: 60,
          sha256: await sha256Of(data),
          size: data.length,
        });
        expect((await fetchSigned(put, { method: 'GET' })).status).toBe(403);
      });

      it('a PUT URL takes exactly the announced bytes, and nothing of another length', async () => {
        const body = randomBytes(4096);
        const sha256 = await sha256Of(body);
        const signed = await store.signedUrl({
          key: key('up.bin'),
          method: 'PUT',
          expiresInSeconds: 60,
          sha256,
          size: body.length,
          contentType: 'application/x-test',
        });
        const short = await fetchSigned(signed, { body: body.subarray(1) });
        expect(short.status).toBeGreaterThanOrEqual(400);
        expect(short.status).toBeLessThan(500);
        expect(await store.head(key('up.bin'))).toBeNull();
        const ok = await fetchSigned(signed, { body });
        expect(ok.status).toBeLessThan(300);
        expect(await store.head(key('up.bin'))).toMatchObject({
          size: body.length,
          sha256,
          contentType: 'application/x-test',
        });
      });

      it('a PUT URL refuses other bytes of the announced length where the server checks content', async (context) => {
        // Servers that ignore x-amz-checksum-sha256 (Ceph before Reef) enforce only the length; see the README.
        if (!backend.verifiesPutContent) context.skip();
        const body = randomBytes(4096);
        const signed = await store.signedUrl({
          key: key('swap.bin'),
          method: 'PUT',
          expiresInSeconds: 60,
          sha256: await sha256Of(body),
          size: body.length,
        });
        const swapped = await fetchSigned(signed, { body: randomBytes(4096) });
        expect(swapped.status).toBeGreaterThanOrEqual(400);
        expect(await store.head(key('swap.bin'))).toBeNull();
      });

      it('will not sign an unbounded PUT, an endless URL, or extras on a GET', async () => {
        const refused = { reason: 'invalid_argument' };
        await expect(
          store.signedUrl({ key: key('x'), method: 'PUT', expiresInSeconds: 60 }),
        ).rejects.toMatchObject(refused);
        await expect(
          store.signedUrl({ key: key('x'), method: 'PUT', expiresInSeconds: 60, sha256: 'ab'.repeat(32) }),
        ).rejects.toMatchObject(refused);
        await expect(
          store.signedUrl({ key: key('x'), method: 'GET', expiresInSeconds: 0 }),
        ).rejects.toMatchObject(refused);
        await expect(
          store.signedUrl({ key: key('x'), method: 'GET', expiresInSeconds: 8 * 86_400 }),
        ).rejects.toMatchObject(refused);
        await expect(
          store.signedUrl({ key: key('x'), method: 'GET', expiresInSeconds: 60, size: 1 }),
        ).rejects.toMatchObject(refused);
      });
    });
  },
);
