import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '@/lib/testing/free-port';

const run = promisify(execFile);

/**
 * TESTS AND BENCHMARKS ONLY. A real S3-protocol server for the S3 store's tests: Ceph's RADOS Gateway
 * (Debian's `radosgw`, Ceph 16 "Pacific") on a one-monitor, one-OSD cluster in a throwaway directory, on
 * free loopback ports. It is a production S3 implementation (AWS Signature V4 in headers and presigned URLs,
 * expiry, multipart with S3's part rules and ListParts, ranges, server-side copy), not an emulator; what it
 * does not check is x-amz-checksum-sha256 (Ceph verifies those from Reef on), so it proves our own
 * verification but not a server's. `TEST_S3_*` points the tests at another server instead (see below).
 *
 * Debian packages: `apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw` (~20 s).
 */
export interface S3TestServer {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Whether the server verifies x-amz-checksum-sha256 (so presigned PUTs are checked by content). */
  verifiesChecksums: boolean;
  /** Resident memory of the server's processes in bytes (0 for an external server). */
  residentBytes(): Promise<number>;
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  /**
   * `memory` (default): objects in the OSD's RAM, fast to start and to drop, for tests. `disk`: a BlueStore
   * OSD on a file in the throwaway directory, for benchmarks that compare with the local disk.
   */
  store?: 'memory' | 'disk';
  /** Capacity of the OSD (default 4 GiB); memory is only used as objects arrive. */
  capacityBytes?: number;
  /** Where the throwaway directory goes (default: the system's temporary directory). */
  parentDir?: string;
}

export const CEPH_BINARIES = [
  'ceph',
  'ceph-authtool',
  'ceph-mon',
  'ceph-osd',
  'monmaptool',
  'radosgw',
  'radosgw-admin',
] as const;
export const CEPH_INSTALL_HINT =
  'apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw  (Debian packages for the S3 test server)';

function findBinary(name: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/usr/sbin').split(':')) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** An external server from TEST_S3_ENDPOINT & co., if configured. */
function externalServer(): S3TestServer | null {
  const env = process.env;
  if (!env.TEST_S3_ENDPOINT) return null;
  const required = ['TEST_S3_BUCKET', 'TEST_S3_ACCESS_KEY_ID', 'TEST_S3_SECRET_ACCESS_KEY'] as const;
  const missing = required.filter((name) => !env[name]);
  if (missing.length) throw new Error(`TEST_S3_ENDPOINT is set but ${missing.join(', ')} are not.`);
  return {
    endpoint: env.TEST_S3_ENDPOINT,
    region: env.TEST_S3_REGION ?? 'us-east-1',
    bucket: env.TEST_S3_BUCKET as string,
    accessKeyId: env.TEST_S3_ACCESS_KEY_ID as string,
    secretAccessKey: env.TEST_S3_SECRET_ACCESS_KEY as string,
    forcePathStyle: env.TEST_S3_FORCE_PATH_STYLE !== '0',
    verifiesChecksums: env.TEST_S3_VERIFIES_CHECKSUMS === '1',
    residentBytes: async () => 0,
    stop: async () => undefined,
  };
}

/** Whether an S3 server can be had here: an external one configured, or the Ceph binaries installed. */
export function s3ServerAvailability(): { available: boolean; reason: string } {
  if (process.env.TEST_S3_ENDPOINT) return { available: true, reason: 'TEST_S3_ENDPOINT' };
  const missing = CEPH_BINARIES.filter((name) => !findBinary(name));
  return missing.length
    ? { available: false, reason: `missing ${missing.join(', ')}; install with: ${CEPH_INSTALL_HINT}` }
    : { available: true, reason: 'ceph radosgw' };
}

function cephConf(
  dir: string,
  fsid: string,
  monPort: number,
  rgwPort: number,
  options: Required<S3ServerOptions>,
) {
  const objectStore =
    options.store === 'memory'
      ? [`osd objectstore = memstore`, `memstore device bytes = ${options.capacityBytes}`]
      : [
          `osd objectstore = bluestore`,
          `bluestore block create = true`,
          `bluestore block size = ${options.capacityBytes}`,
          // Small caches: this OSD shares the machine with the code under test.
          `osd memory target = ${512 * 1024 * 1024}`,
          `bluestore cache autotune = false`,
          `bluestore cache size = ${128 * 1024 * 1024}`,
        ];
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
public addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = ${dir}/keyring
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
mon data = ${dir}/mon/$name
osd data = ${dir}/osd/$name
mon data avail crit = 0
mon data avail warn = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
# The OSD would place itself in the CRUSH map at start, in a command that can race its first monitor map
# (the monitor then refuses it as "wrong fsid"); we place it ourselves before it starts.
osd crush update on start = false
osd class update on start = false
${objectStore.join('\n')}

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
# Reclaim the space of overwritten and deleted objects within seconds rather than hours, so repeated
# benchmark runs do not fill the OSD.
rgw gc obj min wait = 5
rgw gc processor period = 5
rgw data = ${dir}/rgw
rgw thread pool size = 64
`;
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  daemons: ChildProcess[],
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = daemons.find((daemon) => daemon.exitCode !== null || daemon.signalCode !== null);
    if (dead) throw new Error(`${what}: ${dead.spawnfile} exited (${dead.exitCode ?? dead.signalCode}).`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopDaemon(daemon: ChildProcess): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null) return;
  const exited = once(daemon, 'exit');
  daemon.kill('SIGTERM');
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function residentBytesOf(pids: number[]): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  let total = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    total += kb ? Number(kb) * 1024 : 0;
  }
  return total;
}

/**
 * Starts the S3 test server (about 10 s) with a fresh user and bucket, or returns the external one from
 * TEST_S3_ENDPOINT. Throws, naming the Debian packages, when neither is available.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3TestServer> {
  const external = externalServer();
  if (external) return external;
  const availability = s3ServerAvailability();
  if (!availability.available) throw new Error(`No S3 test server: ${availability.reason}`);
  const settings: Required<S3ServerOptions> = {
    store: 'memory',
    capacityBytes: 4 * 1024 ** 3,
    parentDir: tmpdir(),
    ...options,
  };

  const dir = mkdtempSync(path.join(settings.parentDir, 'backfill-s3-'));
  for (const sub of ['run', 'log', 'mon/mon.a', 'osd/osd.0', 'rgw'])
    mkdirSync(path.join(dir, sub), { recursive: true });
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const fsid = randomUUID();
  const osdUuid = randomUUID();
  const conf = path.join(dir, 'ceph.conf');
  writeFileSync(conf, cephConf(dir, fsid, monPort, rgwPort, settings));
  const ceph = (args: string[]) =>
    run('ceph', ['-c', conf, '--connect-timeout', '10', ...args], { timeout: 30_000 });

  const daemons: ChildProcess[] = [];
  const spawnDaemon = (command: string, args: string[]) => {
    const daemon = spawn(command, ['-c', conf, '-f', ...args], { cwd: dir, stdio: 'ignore' });
    daemons.push(daemon);
    return daemon;
  };
  const killAll = () => daemons.forEach((daemon) => daemon.exitCode === null && daemon.kill('SIGKILL'));
  process.once('exit', killAll);

  try {
    // The monitor's own key is needed even with authentication off; it is random and never leaves `dir`.
    await run('ceph-authtool', [
      '--create-keyring',
      path.join(dir, 'keyring'),
      '--gen-key',
      '-n',
      'mon.',
      '--cap',
      'mon',
      'allow *',
    ]);
    await run('monmaptool', [
      '--create',
      '--add',
      'a',
      `v1:127.0.0.1:${monPort}`,
      '--fsid',
      fsid,
      path.join(dir, 'monmap'),
    ]);
    await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap')]);
    spawnDaemon('ceph-mon', ['-i', 'a']);
    await waitFor(
      'ceph-mon',
      async () => (await ceph(['osd', 'create', osdUuid])).stdout.trim() === '0',
      30_000,
      daemons,
    );
    // The monitor may still be settling the map `osd create` just changed: try again until it takes (it is
    // idempotent), rather than failing the whole suite on one refused command.
    await waitFor(
      'ceph osd crush add',
      async () => {
        await ceph(['osd', 'crush', 'add', 'osd.0', '1.0', 'host=localhost', 'root=default']);
        return true;
      },
      30_000,
      daemons,
    );
    await run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid], { timeout: 60_000 });
    spawnDaemon('ceph-osd', ['-i', '0']);
    await waitFor(
      'ceph-osd',
      async () =>
        (JSON.parse((await ceph(['osd', 'dump', '--format', 'json'])).stdout) as { osds: { up: number }[] })
          .osds[0]?.up === 1,
      60_000,
      daemons,
    );
    spawnDaemon('radosgw', ['-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitFor('radosgw', async () => (await fetch(endpoint)).ok, 60_000, daemons);

    const accessKeyId = `test${randomBytes(8).toString('hex')}`;
    const secretAccessKey = randomBytes(24).toString('base64url');
    await run('radosgw-admin', [
      '-c',
      conf,
      '-n',
      'client.admin',
      'user',
      'create',
      '--uid',
      'backfill-test',
      '--display-name',
      'backfill test',
      '--access-key',
      accessKeyId,
      '--secret',
      secretAccessKey,
    ]);
    const region = 'us-east-1';
    const bucket = 'backfill-test';
    const client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    client.destroy();

    return {
      endpoint,
      region,
      bucket,
      accessKeyId,
      secretAccessKey,
      forcePathStyle: true,
      verifiesChecksums: false,
      residentBytes: () => residentBytesOf(daemons.map((daemon) => daemon.pid ?? 0)),
      stop: async () => {
        // Gateway first, so nothing writes while the OSD and monitor go. The exit hook stays until all are
        // down, so a process that exits halfway through still takes them with it.
        for (const daemon of [...daemons].reverse()) await stopDaemon(daemon);
        process.removeListener('exit', killAll);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    killAll();
    process.removeListener('exit', killAll);
    const logs = path.join(dir, 'log');
    throw new Error(`The S3 test server did not start (logs in ${logs}): ${(error as Error).message}`);
  }
}
