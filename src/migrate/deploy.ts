/**
 * `deploy`: applies pending migrations exactly as `prisma migrate deploy` does, so that either
 * tool can continue where the other stopped (prisma-engines: commands/apply_migrations.rs).
 */
import type pg from 'pg';
import { UserError } from '../errors.ts';
import { type LocalMigration, readMigrations } from './directory.ts';
import { MigrationHistory, type MigrationRecord, isCounted, isFailed } from './history.ts';
import { withMigrationLock } from './lock.ts';

/** What a deploy reports while it runs; the CLI prints these (and, later, writes them as JSON). */
export type DeployEvent =
  | { type: 'lock-wait'; waitedMs: number }
  | { type: 'migration-start'; name: string }
  | { type: 'migration-finish'; name: string; durationMs: number }
  | { type: 'migration-fail'; name: string; durationMs: number; message: string };

export interface DeployOptions {
  migrationsDir: string;
  /** Schema holding `_prisma_migrations` (the URL's `schema` parameter, else public). */
  historySchema?: string;
  /** How long to wait for another run's migration lock. */
  lockWaitMs?: number;
  onEvent?: (event: DeployEvent) => void;
}

export interface DeployResult {
  /** Names applied by this run, in order. */
  applied: string[];
  /** Local migrations in total (applied before, now, and none left pending on success). */
  total: number;
}

/** Default wait for another run's lock. Prisma gives up after 10 s; a long deploy elsewhere deserves more. */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** Applies every pending migration in order on `client`'s database. */
export async function deploy(client: pg.Client, options: DeployOptions): Promise<DeployResult> {
  const migrations = readMigrations(options.migrationsDir);
  const history = new MigrationHistory(client, options.historySchema);
  const emit = options.onEvent ?? (() => {});

  return withMigrationLock(
    client,
    async () => {
      await history.ensureTable();
      const records = await history.records();
      assertNoFailedMigration(records);

      const applied: string[] = [];
      for (const migration of pendingMigrations(migrations, records)) {
        await applyMigration(client, history, migration, emit);
        applied.push(migration.name);
      }
      return { applied, total: migrations.length };
    },
    { waitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, onWait: (waitedMs) => emit({ type: 'lock-wait', waitedMs }) },
  );
}

/** Local migrations with no counted row of the same name, in order. Prisma matches by name only. */
export function pendingMigrations(migrations: LocalMigration[], records: MigrationRecord[]): LocalMigration[] {
  const applied = new Set(records.filter(isCounted).map((record) => record.migrationName));
  return migrations.filter((migration) => !applied.has(migration.name));
}

async function applyMigration(
  client: pg.Client,
  history: MigrationHistory,
  migration: LocalMigration,
  emit: (event: DeployEvent) => void,
): Promise<void> {
  emit({ type: 'migration-start', name: migration.name });
  const started = performance.now();
  const id = await history.recordStarted(migration.name, migration.checksum);
  try {
    // One simple-protocol query, as Prisma sends it: PostgreSQL runs a multi-statement string as one
    // implicit transaction, so a failing statement leaves nothing of the file behind.
    await client.query(migration.script);
  } catch (error) {
    const durationMs = performance.now() - started;
    await history.recordFailedStep(id, failureLogs(migration.name, error));
    const message = describeDbError(error, migration.script);
    emit({ type: 'migration-fail', name: migration.name, durationMs, message });
    throw new UserError(
      `migration ${migration.name} failed: ${message}. It is recorded as failed and blocks further deploys; ` +
        `fix the cause, then mark it with \`npx prisma migrate resolve --rolled-back ${migration.name}\` and deploy again`,
    );
  }
  await history.recordSuccessfulStep(id);
  await history.recordFinished(id);
  emit({ type: 'migration-finish', name: migration.name, durationMs: performance.now() - started });
}

function assertNoFailedMigration(records: MigrationRecord[]): void {
  const failed = records.filter(isFailed);
  if (failed.length === 0) return;
  const names = failed.map((record) => `${record.migrationName} (started ${record.startedAt.toISOString()})`).join(', ');
  const first = failed[0]!.migrationName;
  throw new UserError(
    `cannot deploy: failed migration ${names} must be resolved first; ` +
      `run \`npx prisma migrate resolve --rolled-back ${first}\` to retry it, or \`--applied ${first}\` if you completed it by hand`,
  );
}

/** The `logs` Prisma's engine stores for a failed script: migration name, SQLSTATE and the server's message. */
function failureLogs(name: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return `Migration name: ${name}\n\nDatabase error code: ${code ?? 'unknown'}\n\nDatabase error:\n${message ?? String(error)}\n`;
}

/** A database error as one line: message, SQLSTATE, and the line of `script` it points at. */
export function describeDbError(error: unknown, script?: string): string {
  const { code, message, position } = error as { code?: string; message?: string; position?: string };
  const parts = [message ?? String(error)];
  if (code) parts.push(`SQLSTATE ${code}`);
  if (position && script) parts.push(`line ${script.slice(0, Number(position) - 1).split('\n').length}`);
  return parts.join(', ');
}
