import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { ConfigurationError } from '../errors.ts';

/** The repository root: every relative path the project reads is resolved from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Variables already set in the environment win over the file.
dotenv.config({ path: path.join(PROJECT_ROOT, '.env'), quiet: true });

/** The variables the project reads; `.env.example` documents each one. */
export interface Environment {
  /** The database every command uses; unset means the embedded server. */
  databaseUrl: string | undefined;
  /** A server on which the tests create and drop their own databases; unset means the embedded server. */
  testDatabaseUrl: string | undefined;
  /** Folder of the embedded server (data, log, state), absolute. */
  embeddedDir: string;
  /** Fixed port for the embedded server; unset means a free port, kept across restarts. */
  embeddedPort: number | undefined;
  /** Defaults for the migration runner's --lock-timeout, --statement-timeout and --lock-wait (durations such as 2s). */
  migrateLockTimeout: string | undefined;
  migrateStatementTimeout: string | undefined;
  migrateLockWait: string | undefined;
}

/** Reads and checks the project's environment variables. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL),
    testDatabaseUrl: nonEmpty(env.TEST_DATABASE_URL),
    embeddedDir: path.resolve(PROJECT_ROOT, nonEmpty(env.EMBEDDED_PG_DIR) ?? '.db/embedded'),
    embeddedPort: parsePort(nonEmpty(env.EMBEDDED_PG_PORT)),
    migrateLockTimeout: nonEmpty(env.MIGRATE_LOCK_TIMEOUT),
    migrateStatementTimeout: nonEmpty(env.MIGRATE_STATEMENT_TIMEOUT),
    migrateLockWait: nonEmpty(env.MIGRATE_LOCK_WAIT),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError('EMBEDDED_PG_PORT', value, 'a port number (1-65535)');
  }
  return port;
}
