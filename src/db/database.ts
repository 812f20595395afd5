/**
 * The one way the project reaches its database: DATABASE_URL when set, else the embedded
 * PostgreSQL, started for the caller's duration when it is not running. Commands, benchmarks and
 * tests go through {@link withDatabase}, {@link withConnection} or {@link withPool}, which give the
 * database back (and stop a temporary embedded server) whatever happens.
 */
import type pg from 'pg';
import { connect, createPool } from './connect.ts';
import { EmbeddedServer } from './embedded.ts';
import { readEnvironment } from './env.ts';

/** A database to work on, and how to give it back when done. */
export interface ResolvedDatabase {
  url: string;
  /** Where the URL came from: a URL given or set (DATABASE_URL), or the embedded server. */
  source: 'url' | 'embedded';
  /** Stops a temporary embedded server when this was its last user; a no-op otherwise. */
  release(): Promise<void>;
}

export interface DatabaseOptions {
  /** The database to use; by default DATABASE_URL, and without it the embedded server. */
  url?: string | undefined;
  /** Start the embedded server to stay up after the caller is done, as `db:start` does. */
  persistent?: boolean | undefined;
}

/**
 * Resolves the database: `url` when given (DATABASE_URL by default), otherwise the embedded
 * server, started for the caller's duration when none runs. Prefer {@link withDatabase}, which
 * releases it; a caller of this function must call `release()` itself.
 */
export async function resolveDatabase(options: DatabaseOptions = {}): Promise<ResolvedDatabase> {
  const url = 'url' in options ? options.url : readEnvironment().databaseUrl;
  if (url !== undefined) return { url, source: 'url', release: async () => {} };

  const embedded = projectEmbeddedServer();
  if (options.persistent) {
    const server = await embedded.startPersistent();
    return { url: server.url, source: 'embedded', release: async () => {} };
  }
  const lease = await embedded.acquire();
  return { url: lease.url, source: 'embedded', release: lease.release };
}

/**
 * Runs `fn` with the resolved database and gives it back afterwards.
 *
 * @example
 * await withDatabase(async ({ url }) => benchTrace({ serverUrl: url }));
 */
export async function withDatabase<T>(fn: (database: ResolvedDatabase) => Promise<T>, options: DatabaseOptions = {}): Promise<T> {
  const database = await resolveDatabase(options);
  try {
    return await fn(database);
  } finally {
    await database.release();
  }
}

/**
 * Runs `fn` with one connection to the resolved database (closed afterwards), for work that needs a
 * session of its own: migrations, backfills, anything that holds a session-level lock.
 *
 * @example
 * const status = await withConnection((client) => migrationStatus(client, target), { applicationName: 'my-app migrate' });
 */
export async function withConnection<T>(
  fn: (client: pg.Client, database: ResolvedDatabase) => Promise<T>,
  options: DatabaseOptions & { applicationName?: string } = {},
): Promise<T> {
  return withDatabase(async (database) => {
    const client = await connect(database.url, options.applicationName);
    try {
      return await fn(client, database);
    } finally {
      await client.end();
    }
  }, options);
}

/**
 * Runs `fn` with a connection pool on the resolved database (ended afterwards), for work that
 * opens transactions of its own or runs several at once.
 *
 * @example
 * await withPool((pool) => transaction(pool, (tx) => postTransfer(tx, transfer)));
 */
export async function withPool<T>(
  fn: (pool: pg.Pool, database: ResolvedDatabase) => Promise<T>,
  options: DatabaseOptions & { applicationName?: string; max?: number } = {},
): Promise<T> {
  return withDatabase(async (database) => {
    const pool = createPool(database.url, options);
    try {
      return await fn(pool, database);
    } finally {
      await pool.end();
    }
  }, options);
}

/** The embedded server of this checkout (EMBEDDED_PG_DIR, EMBEDDED_PG_PORT). */
export function projectEmbeddedServer(): EmbeddedServer {
  const env = readEnvironment();
  return new EmbeddedServer(env.embeddedDir, { port: env.embeddedPort });
}
