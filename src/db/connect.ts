import pg from 'pg';
import { ConnectionError, InvalidArgumentError } from '../errors.ts';

/**
 * How long a connection attempt may take before the server counts as unreachable. A refused
 * connection or an unknown host fails at once whatever this is; the wait only matters for a
 * server that does not answer, or answers late: 5 s was once too short for a live server on a
 * 2-core machine running a test suite beside two other jobs (the test that hit it saw "no answer
 * within 5 s" while the server was up).
 */
export const CONNECT_TIMEOUT_MS = 15_000;

/** `host:port` of a connection URL, for messages. */
export function serverAddress(url: string): string {
  const { hostname, port } = parseUrl(url);
  return `${hostname || 'localhost'}:${port || '5432'}`;
}

/** The same server URL pointing at another database. */
export function urlForDatabase(url: string, database: string): string {
  const parsed = parseUrl(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The same URL logging in as another role (no password: the server's trust or the role's own setup decides). */
export function urlForRole(url: string, role: string): string {
  const parsed = parseUrl(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = '';
  return parsed.toString();
}

/** The database name of a connection URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(parseUrl(url).pathname.slice(1)) || 'postgres';
}

function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') throw new Error('not postgres');
    return parsed;
  } catch {
    throw new InvalidArgumentError(
      'url',
      redact(url),
      'a PostgreSQL URL (postgresql://user@host:port/database)',
      `not a PostgreSQL URL: '${redact(url)}' (expected postgresql://user@host:port/database)`,
    );
  }
}

/** The URL without its password, safe to print. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * Opens one connection, turning every connection failure into a {@link ConnectionError} that
 * names the server and says why (refused, unknown host, timeout, authentication, missing database).
 *
 * @example
 * const client = await connect(process.env.DATABASE_URL!, 'my-app migrate');
 */
export async function connect(url: string, applicationName = 'supply-ledger'): Promise<pg.Client> {
  const address = serverAddress(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: applicationName,
  });
  // A connection lost while idle is reported by the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new ConnectionError(address, connectFailure(error), (error as { code?: string }).code?.match(/^[0-9A-Z]{5}$/)?.[0]);
  }
  return client;
}

/**
 * A pool on `url` whose connections name themselves `applicationName` (as pg_stat_activity shows).
 * A connection lost while idle in the pool is dropped by the pool; the next query reports it.
 *
 * @example
 * const pool = createPool(process.env.DATABASE_URL!, { applicationName: 'my-app', max: 10 });
 */
export function createPool(
  url: string,
  options: { applicationName?: string | undefined; max?: number | undefined; options?: string | undefined } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: options.applicationName ?? 'supply-ledger',
    ...(options.max === undefined ? {} : { max: options.max }),
    // Settings every connection starts with (`-c name=value`), as libpq's `options`.
    ...(options.options === undefined ? {} : { options: options.options }),
  });
  pool.on('error', () => {});
  return pool;
}

function connectFailure(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case '28P01':
    case '28000':
      return `authentication failed (${message})`;
    case '3D000':
      return message ?? 'database does not exist';
    default:
      if (/timeout/i.test(message ?? '')) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
      return message ?? String(error);
  }
}

/** An identifier (database, schema, table) quoted for SQL text, whatever characters it holds. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema Prisma treats as the connection's default (the URL's `schema` parameter, else public). */
export function defaultSchema(url: string): string {
  return parseUrl(url).searchParams.get('schema') ?? 'public';
}
