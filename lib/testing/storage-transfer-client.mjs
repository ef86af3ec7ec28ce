// BENCHMARKS ONLY. An HTTP client in its own process, so the bytes it sends and receives are not counted in
// the memory of the process under test: `node storage-transfer-client.mjs put|get URL FILE [HEADERS_JSON]`.
// It streams FILE to URL (PUT, with Content-Length) or URL to FILE (GET, then fsync), and prints one JSON
// line: {"ms": <milliseconds from the request to the last byte>, "status": <HTTP status>}.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

const [mode, url, file, headersJson = '{}'] = process.argv.slice(2);
const headers = JSON.parse(headersJson);

function request(method, extraHeaders) {
  return http.request(url, { method, headers: { ...headers, ...extraHeaders } });
}

async function put() {
  const size = statSync(file).size;
  const started = performance.now();
  const req = request('PUT', { 'content-length': String(size) });
  const response = new Promise((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), req);
  const res = await response;
  const body = [];
  for await (const chunk of res) body.push(chunk);
  return {
    ms: performance.now() - started,
    status: res.statusCode,
    body: Buffer.concat(body).toString('utf8'),
  };
}

async function get() {
  const started = performance.now();
  const req = request('GET', {});
  const res = await new Promise((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  await pipeline(res, createWriteStream(file, { highWaterMark: 1024 * 1024 }));
  const handle = await open(file, 'r+');
  await handle.sync();
  await handle.close();
  return { ms: performance.now() - started, status: res.statusCode, body: '' };
}

const result = await (mode === 'put' ? put() : get());
console.log(JSON.stringify(result));
