import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { LocalStore } from '@/lib/storage/local-store';
import { serveSignedStorageRequest } from '@/lib/storage/signed-request';
import { readAll, sha256Of } from '@/lib/testing/storage-fixtures';

/** The handler the API route calls, with web Requests as Next hands them over (no HTTP server needed). */
describe('serveSignedStorageRequest', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'backfill-signed-'));
  const clock = new ManualClock('2026-06-01T12:00:00Z');
  const store = new LocalStore({
    root,
    signingSecret: randomBytes(32),
    publicOrigin: 'https://backfill.example',
    clock,
  });
  const data = Buffer.from('<html><script>alert(1)</script></html>');

  beforeAll(async () => {
    await store.put('accounts/a/outputs/page.html', Readable.from([data]), {
      maxBytes: 1000,
      contentType: 'text/html',
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function getUrl(key = 'accounts/a/outputs/page.html') {
    return (await store.signedUrl({ key, method: 'GET', expiresInSeconds: 60 })).url;
  }

  it('signs URLs under the public origin and the API path', async () => {
    expect(await getUrl()).toMatch(
      /^https:\/\/backfill\.example\/api\/v1\/storage\/objects\/accounts\/a\/outputs\/page\.html\?expires=\d+&sig=[\w-]+$/,
    );
  });

  it('serves the object as a sandboxed download, so stored HTML never runs on our origin', async () => {
    const response = await serveSignedStorageRequest(store, new Request(await getUrl()));
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/html',
      'content-length': String(data.length),
      'content-disposition': 'attachment',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      etag: `"${await sha256Of(data)}"`,
      'accept-ranges': 'bytes',
    });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(data);
  });

  it('answers HEAD without a body, and suffix and open ranges; ignores multiple ranges', async () => {
    const head = await serveSignedStorageRequest(store, new Request(await getUrl(), { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const suffix = await serveSignedStorageRequest(
      store,
      new Request(await getUrl(), { headers: { range: 'bytes=-9' } }),
    );
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(data.subarray(-9));
    const open = await serveSignedStorageRequest(
      store,
      new Request(await getUrl(), { headers: { range: 'bytes=6-' } }),
    );
    expect(open.headers.get('content-range')).toBe(`bytes 6-${data.length - 1}/${data.length}`);
    const several = await serveSignedStorageRequest(
      store,
      new Request(await getUrl(), { headers: { range: 'bytes=0-1,4-5' } }),
    );
    expect(several.status).toBe(200);
    await expect(
      serveSignedStorageRequest(
        store,
        new Request(await getUrl(), { headers: { range: `bytes=${data.length}-` } }),
      ),
    ).rejects.toMatchObject({ reason: 'invalid_range' });
  });

  it('refuses encoded paths, and paths that climb out of the storage prefix', async () => {
    const url = await getUrl();
    const key = 'accounts/a/outputs/page.html';
    // Dot segments are resolved by URL parsing itself: one that stays inside names the signed key again, one
    // that climbs out is no storage URL at all.
    for (const bad of [
      'accounts%2Fa%2Foutputs%2Fpage.html',
      '..%2F..%2Fetc%2Fpasswd',
      '../../../../etc/passwd',
    ])
      await expect(
        serveSignedStorageRequest(store, new Request(url.replace(key, bad))),
      ).rejects.toMatchObject({
        status: 400,
      });
  });

  it('stores a PUT that matches its URL, and refuses a wrong Content-Length before reading', async () => {
    const body = Buffer.from('checkpoint bytes');
    const signed = await store.signedUrl({
      key: 'leases/1/c',
      method: 'PUT',
      expiresInSeconds: 60,
      sha256: await sha256Of(body),
      size: body.length,
    });
    await expect(
      serveSignedStorageRequest(
        store,
        new Request(signed.url, { method: 'PUT', body: 'x', headers: { 'content-length': '1' } }),
      ),
    ).rejects.toMatchObject({ reason: 'size_mismatch' });
    const response = await serveSignedStorageRequest(store, new Request(signed.url, { method: 'PUT', body }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      key: 'leases/1/c',
      size: body.length,
      sha256: await sha256Of(body),
    });
    expect(await readAll((await store.get('leases/1/c')).body)).toEqual(body);
  });

  it('refuses an expired URL by the store clock', async () => {
    const url = await getUrl();
    clock.advance(60_000);
    await expect(serveSignedStorageRequest(store, new Request(url))).rejects.toMatchObject({
      reason: 'invalid_signature',
      status: 403,
    });
  });
});
