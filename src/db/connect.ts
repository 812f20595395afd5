import pg from 'pg';
import { UserError } from '../errors.ts';

/** How long a connection attempt may take before the server counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** `host:port` of a connection URL, for messages. */
export function serverAddress(url: string): string {
  const { hostname, port } = parseUrl(url);
  return `${hostname || 'localhost'}:${port || '5432'}`;
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = parseUrl(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
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
    throw new UserError(`not a PostgreSQL URL: '${redact(url)}' (expected postgresql://user@host:port/database)`);
  }
}

/** The URL without its password, safe to print. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * Opens one connection, turning every connection failure into a one-line {@link UserError}
 * that names the server (refused, unknown host, timeout, authentication, missing database).
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
    throw new UserError(`cannot connect to PostgreSQL at ${address}: ${connectFailure(error)}`);
  }
  return client;
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

/** The schema Prisma treats as the connection's default (the URL's `schema` parameter, else public). */
export function defaultSchema(url: string): string {
  return parseUrl(url).searchParams.get('schema') ?? 'public';
}
