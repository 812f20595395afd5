import { EmbeddedServer } from './embedded.ts';
import { readEnvironment } from './env.ts';

/** A database to work on, and how to give it back when done. */
export interface ResolvedDatabase {
  url: string;
  /** Where the URL came from: a variable the user set, or the embedded server. */
  source: 'url' | 'embedded';
  /** Stops a temporary embedded server when this was its last user; a no-op otherwise. */
  release(): Promise<void>;
}

/**
 * Resolves the database for a command: `url` when given (DATABASE_URL by default), otherwise the
 * embedded server, started for the caller's duration when none runs. With `persistent`, an
 * embedded server is started to stay up, as `db:start` does.
 */
export async function resolveDatabase(
  options: { url?: string | undefined; persistent?: boolean } = {},
): Promise<ResolvedDatabase> {
  const env = readEnvironment();
  const url = 'url' in options ? options.url : env.databaseUrl;
  if (url !== undefined) return { url, source: 'url', release: async () => {} };

  const embedded = projectEmbeddedServer();
  if (options.persistent) {
    const server = await embedded.startPersistent();
    return { url: server.url, source: 'embedded', release: async () => {} };
  }
  const lease = await embedded.acquire();
  return { url: lease.url, source: 'embedded', release: lease.release };
}

/** Runs `fn` on the resolved database (see {@link resolveDatabase}) and releases it afterwards. */
export async function withResolvedDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const database = await resolveDatabase();
  try {
    return await fn(database.url);
  } finally {
    await database.release();
  }
}

/** The embedded server of this checkout (EMBEDDED_PG_DIR, EMBEDDED_PG_PORT). */
export function projectEmbeddedServer(): EmbeddedServer {
  const env = readEnvironment();
  return new EmbeddedServer(env.embeddedDir, { port: env.embeddedPort });
}
