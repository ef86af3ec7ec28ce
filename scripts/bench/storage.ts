/**
 * `npm run bench:storage` — upload and download throughput of the blob store beside a plain file copy on the
 * same disk, for 1 MiB, 100 MiB and 1 GiB objects, and the peak growth of this process's resident memory
 * during each transfer (this process plays the web process: it runs the store and the signed-URL handler).
 *
 * Paths: the plain copy (copyFile + fsync); the local store called directly; the local store through its
 * signed URLs over HTTP (the handler the API route calls, with the client in another process); the S3 store
 * called directly (bytes pass through this process); and S3 presigned URLs (bytes go from the client process
 * straight to the server). The S3 server is the Ceph RADOS Gateway of the test suite, on a BlueStore file in
 * the same directory, so it writes to the same disk.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { copyFile, open, statfs, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs, promisify } from 'node:util';
import { LocalStore } from '@/lib/storage/local-store';
import { S3Store } from '@/lib/storage/s3-store';
import type { BlobStore, SignedUrl } from '@/lib/storage/store';
import { startS3Server } from '@/lib/testing/s3-server';
import { generatedBody, measureRssGrowth, sha256Of } from '@/lib/testing/storage-fixtures';
import { startStorageHttpServer } from '@/lib/testing/storage-http-server';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';
import { machineInfo } from '@/scripts/bench/lib/report';
import { formatMiB, textTable } from '@/scripts/bench/lib/stats';

const run = promisify(execFile);
const RESULTS_FILE = path.join('bench-results', 'storage.json');
/** The design notes' targets: ≥ 50 % of a plain copy; ≤ 64 MB of growth during a 1 GB transfer. */
const TARGET = { ratio: 0.5, growthBytes: 64 * 2 ** 20 } as const;
const CLIENT = path.resolve('lib/testing/storage-transfer-client.mjs');

const USAGE = `npm run bench:storage [-- options]
  --sizes LIST     object sizes, e.g. 1MiB,100MiB,1GiB (default); suffixes KiB, MiB, GiB
  --backend B      local | s3 | both (default both)
  --dir PATH       where the files, the local store and the S3 server's disk go (default the temp dir)
  --repeat N       runs per size and path, the median is reported (default 9 up to 10 MiB, else 3)`;

interface Options {
  sizes: number[];
  backends: ('local' | 's3')[];
  dir: string;
  repeat: number | null;
}

function parseSize(text: string): number {
  const match = /^(\d+)(KiB|MiB|GiB)$/.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size such as 100MiB`);
  return Number(match[1]) * { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 }[match[2] as 'KiB' | 'MiB' | 'GiB'];
}

function parse(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      backend: { type: 'string' },
      dir: { type: 'string' },
      repeat: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const backend = values.backend ?? 'both';
  if (!['local', 's3', 'both'].includes(backend)) throw new Error('--backend must be local, s3 or both');
  const repeat = values.repeat === undefined ? null : Number(values.repeat);
  if (repeat !== null && (!Number.isInteger(repeat) || repeat < 1))
    throw new Error('--repeat must be a positive integer');
  return {
    sizes: (values.sizes ?? '1MiB,100MiB,1GiB').split(',').map(parseSize),
    backends: backend === 'both' ? ['local', 's3'] : [backend as 'local' | 's3'],
    dir: path.resolve(values.dir ?? tmpdir()),
    repeat,
  };
}

function sizeLabel(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${bytes / 2 ** 30} GiB`
    : bytes >= 2 ** 20
      ? `${bytes / 2 ** 20} MiB`
      : `${bytes / 2 ** 10} KiB`;
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  await handle.sync();
  await handle.close();
}

/** One timed transfer: milliseconds, and this process's peak memory growth while it ran. */
interface Sample {
  ms: number;
  growthBytes: number;
}

async function timed(work: () => Promise<number | void>): Promise<Sample> {
  let ms = 0;
  const { result, growthBytes } = await measureRssGrowth(async () => {
    // Timed inside the measurement, so its garbage collection beforehand is not counted.
    const started = performance.now();
    const value = await work();
    ms = performance.now() - started;
    return value;
  });
  // A transfer timed by the client process reports its own milliseconds (its start-up is not ours).
  return { ms: typeof result === 'number' ? result : ms, growthBytes };
}

/** A transfer by the client in its own process; returns the milliseconds it measured. */
async function clientTransfer(mode: 'put' | 'get', signed: SignedUrl, file: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [CLIENT, mode, signed.url, file, JSON.stringify(signed.headers)],
    {
      maxBuffer: 1 << 20,
      timeout: 600_000,
    },
  );
  const result = JSON.parse(stdout) as { ms: number; status: number; body: string };
  if (result.status >= 300)
    throw new Error(`${mode} through a signed URL answered ${result.status}: ${result.body}`);
  return result.ms;
}

interface PathResult {
  path: string;
  /** A reference line (a copy), not a path of the store. */
  reference?: boolean;
  upload: Sample;
  download: Sample;
}

function median(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  const middle = sorted[Math.floor(sorted.length / 2)] as Sample;
  return { ms: middle.ms, growthBytes: Math.max(...samples.map((s) => s.growthBytes)) };
}

async function repeat(times: number, up: () => Promise<number | void>, down: () => Promise<number | void>) {
  const ups: Sample[] = [];
  const downs: Sample[] = [];
  for (let i = 0; i < times; i++) {
    ups.push(await timed(up));
    downs.push(await timed(down));
  }
  return { upload: median(ups), download: median(downs) };
}

interface Context {
  size: number;
  sha256: string;
  source: string;
  target: string;
  times: number;
}

async function storePaths(
  name: string,
  store: BlobStore,
  context: Context,
  viaUrls: string,
): Promise<PathResult[]> {
  const { size, sha256, source, target, times } = context;
  const key = `bench/${name}-${size}`;
  const direct = await repeat(
    times,
    () =>
      store
        .put(key, createReadStream(source, { highWaterMark: 2 ** 20 }), {
          maxBytes: size,
          expectedSha256: sha256,
        })
        .then(() => undefined),
    async () => {
      await pipeline((await store.get(key)).body, createWriteStream(target, { highWaterMark: 2 ** 20 }));
      await fsyncFile(target);
    },
  );
  const urls = await repeat(
    times,
    async () =>
      clientTransfer(
        'put',
        await store.signedUrl({ key, method: 'PUT', expiresInSeconds: 3600, sha256, size }),
        source,
      ),
    async () =>
      clientTransfer('get', await store.signedUrl({ key, method: 'GET', expiresInSeconds: 3600 }), target),
  );
  if ((await sha256Of(createReadStream(target))) !== sha256)
    throw new Error(`${name}: the download differs from the upload`);
  await store.delete(key);
  return [
    { path: `${name} store, called directly`, ...direct },
    { path: `${name} ${viaUrls}`, ...urls },
  ];
}

function throughput(size: number, sample: Sample): number {
  return size / 2 ** 20 / (sample.ms / 1000);
}

runBenchmark(parse, USAGE, async (options, argv, cleanup) => {
  const started = performance.now();
  const command = argv.length ? `npm run bench:storage -- ${argv.join(' ')}` : 'npm run bench:storage';
  const machine = machineInfo();
  const work = mkdtempSync(path.join(options.dir, 'backfill-bench-storage-'));
  cleanup.add('bench directory', async () => rmSync(work, { recursive: true, force: true }));
  const disk = await statfs(work);
  console.log(
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverageAtStart}`,
  );
  console.log(`Directory: ${work} (${formatMiB(disk.bavail * disk.bsize)} free)`);
  // Memory figures start from a collected heap when the runtime allows it (the npm script passes the flag).
  if (!(globalThis as { gc?: unknown }).gc)
    console.log('(no --expose-gc: memory growth includes earlier garbage)');
  console.log('');
  const largest = Math.max(...options.sizes);
  if (disk.bavail * disk.bsize < largest * 8)
    throw new Error(`Not enough free disk for ${sizeLabel(largest)} objects.`);

  let local: LocalStore | null = null;
  if (options.backends.includes('local')) {
    const http = await startStorageHttpServer(() => local as LocalStore);
    cleanup.add('storage HTTP server', () => http.stop());
    local = new LocalStore({
      root: path.join(work, 'blobs'),
      signingSecret: randomBytes(32),
      publicOrigin: http.origin,
    });
  }
  let s3: S3Store | null = null;
  if (options.backends.includes('s3')) {
    console.log('• starting the S3 test server (Ceph RGW on BlueStore)…');
    const server = await startS3Server({
      store: 'disk',
      capacityBytes: Math.max(8 * 2 ** 30, largest * 12),
      parentDir: work,
    });
    cleanup.add('S3 test server', () => server.stop());
    s3 = new S3Store({ ...server });
    cleanup.add('S3 clients', async () => s3?.destroy());
  }

  const results: { size: number; paths: PathResult[] }[] = [];
  for (const size of options.sizes) {
    const times = options.repeat ?? (size <= 10 * 2 ** 20 ? 9 : 3);
    console.log(`• ${sizeLabel(size)}: ${times} run${times > 1 ? 's' : ''} per path`);
    const source = path.join(work, `source-${size}`);
    const target = path.join(work, `target-${size}`);
    await pipeline(
      generatedBody(size, { seed: size % 251 }),
      createWriteStream(source, { highWaterMark: 2 ** 20 }),
    );
    await fsyncFile(source);
    const sha256 = await sha256Of(createReadStream(source));
    const context = { size, sha256, source, target, times };
    const paths: PathResult[] = [];
    const copied = path.join(work, `copy-${size}`);
    const copy = async (from: string, to: string) => {
      await copyFile(from, to);
      await fsyncFile(to);
    };
    const streamCopy = async (from: string, to: string) => {
      await pipeline(
        createReadStream(from, { highWaterMark: 2 ** 20 }),
        createWriteStream(to, { highWaterMark: 2 ** 20 }),
      );
      await fsyncFile(to);
    };
    paths.push({
      reference: true,
      path: 'plain file copy (copyFile + fsync)',
      ...(await repeat(
        times,
        () => copy(source, copied),
        () => copy(copied, target),
      )),
    });
    paths.push({
      reference: true,
      path: 'stream copy, no hashing (Node streams + fsync)',
      ...(await repeat(
        times,
        () => streamCopy(source, copied),
        () => streamCopy(copied, target),
      )),
    });
    if (local) paths.push(...(await storePaths('local', local, context, 'store via signed URLs over HTTP')));
    if (s3) paths.push(...(await storePaths('S3', s3, context, 'presigned URLs (client ↔ server)')));
    await Promise.all([source, target, copied].map((file) => unlink(file).catch(() => undefined)));
    results.push({ size, paths });

    const baseline = paths[0] as PathResult;
    const rows = paths.map((result) => [
      result.path,
      throughput(size, result.upload).toFixed(0),
      `${((100 * baseline.upload.ms) / result.upload.ms).toFixed(0)}%`,
      throughput(size, result.download).toFixed(0),
      `${((100 * baseline.download.ms) / result.download.ms).toFixed(0)}%`,
      `${(result.upload.growthBytes / 2 ** 20).toFixed(1)} / ${(result.download.growthBytes / 2 ** 20).toFixed(1)}`,
    ]);
    console.log(
      `\n${sizeLabel(size)} objects (MiB/s; % of the plain copy; peak RSS growth of this process in MiB, up / down)\n` +
        textTable(['path', 'upload', '% copy', 'download', '% copy', 'RSS growth'], rows) +
        '\n',
    );
  }

  const biggest = results.find((result) => result.size === largest);
  if (biggest) {
    const baseline = biggest.paths[0] as PathResult;
    console.log(`Targets at ${sizeLabel(largest)} (≥ ${TARGET.ratio * 100} % of the copy; ≤ 64 MiB growth):`);
    for (const result of biggest.paths.filter((path) => !path.reference)) {
      const ratio = Math.min(
        baseline.upload.ms / result.upload.ms,
        baseline.download.ms / result.download.ms,
      );
      const growth = Math.max(result.upload.growthBytes, result.download.growthBytes);
      const ok =
        (ratio >= TARGET.ratio ? 'meets' : 'misses') +
        ' / ' +
        (growth <= TARGET.growthBytes ? 'meets' : 'misses');
      console.log(
        `  ${result.path}: slower direction at ${(ratio * 100).toFixed(0)} %, growth ${(growth / 2 ** 20).toFixed(1)} MiB → ${ok}`,
      );
    }
  }
  writeResults(RESULTS_FILE, { machine, command, results }, started, command);
});
