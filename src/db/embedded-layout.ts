import fs from 'node:fs';
import path from 'node:path';

/** The database the project uses on the embedded server (created on first start). */
export const EMBEDDED_DATABASE = 'supply_ledger';
/** The embedded server's superuser; it authenticates with `trust` and listens on 127.0.0.1 only. */
export const EMBEDDED_SUPERUSER = 'postgres';

/** Where the embedded server keeps its files, all under one git-ignored folder. */
export interface EmbeddedLayout {
  root: string;
  /** PGDATA. */
  data: string;
  /** The server's own log (pg_ctl -l). */
  log: string;
  /** {@link EmbeddedState} as JSON. */
  state: string;
  /** One empty file per process that started or joined a temporary server, named by its pid. */
  leases: string;
  /** Held (as a directory) while a process starts, joins, leaves or stops the server. */
  lock: string;
}

/** How the running server was started: by `db:start` (stays up) or by a command for its own duration. */
export type EmbeddedMode = 'persistent' | 'temporary';

/** What the project remembers about its embedded server between commands. */
export interface EmbeddedState {
  port: number;
  mode: EmbeddedMode;
}

export function embeddedLayout(root: string): EmbeddedLayout {
  return {
    root,
    data: path.join(root, 'data'),
    log: path.join(root, 'server.log'),
    state: path.join(root, 'state.json'),
    leases: path.join(root, 'leases'),
    lock: path.join(root, 'lock'),
  };
}

export function embeddedUrl(port: number, database = EMBEDDED_DATABASE): string {
  return `postgresql://${EMBEDDED_SUPERUSER}@127.0.0.1:${port}/${database}`;
}

export function readState(layout: EmbeddedLayout): EmbeddedState | undefined {
  try {
    return JSON.parse(fs.readFileSync(layout.state, 'utf8')) as EmbeddedState;
  } catch {
    return undefined;
  }
}

/**
 * The pid and port of the postmaster when its process is alive, read from `postmaster.pid`
 * (line 1: pid, line 4: port). Synchronous so that `prisma.config.ts` can use it.
 */
export function livePostmaster(layout: EmbeddedLayout): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(layout.data, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

/** The URL of the embedded server when it runs, else undefined. */
export function runningEmbeddedUrl(root: string): string | undefined {
  const postmaster = livePostmaster(embeddedLayout(root));
  return postmaster && embeddedUrl(postmaster.port);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres user, when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
