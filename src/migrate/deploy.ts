/**
 * `deploy`: applies pending migrations as `prisma migrate deploy` does, so that either tool can
 * continue where the other stopped (prisma-engines: commands/apply_migrations.rs), with the
 * runner's additions: atomic bookkeeping, lock timeouts and retries, statement-by-statement files
 * that resume after a crash, and post-migration verification.
 */
import type pg from 'pg';
import { assertOutsideTransaction } from '../db/transaction.ts';
import { type Runner, applyMigration, createRunner, upMode, watchLocks } from './apply.ts';
import { checksumMatches } from './checksum.ts';
import { type LocalMigration, readMigrations } from './directory.ts';
import type { Emit } from './events.ts';
import { recordingFingerprint } from './fingerprint.ts';
import { type MigrationRecord, isApplied, isCounted, isFailed } from './history.ts';
import { withMigrationLock } from './migration-lock.ts';
import { MigrationStateError } from './errors.ts';
import type { ExecutionMode } from './mode.ts';
import type { RunnerSettings } from './settings.ts';
import type { MigrationTarget } from './target.ts';

export interface DeployOptions {
  settings?: Partial<RunnerSettings> | undefined;
  /** Run each migration's validate.sql right after it, and undo the migration when it fails. */
  verify?: boolean | undefined;
  emit?: Emit | undefined;
}

export interface DeployResult {
  /** Names applied by this run, in order. */
  applied: string[];
  /** Local migrations in total. */
  total: number;
}

/** A migration deploy will apply, and the row of its interrupted run when it resumes one. */
export interface PendingMigration {
  migration: LocalMigration;
  resume?: MigrationRecord;
}

/**
 * Applies every pending migration of `target` in order, on `client`'s database: a connection of
 * its own, not inside a transaction (each migration runs in one transaction of the runner's, under
 * Prisma's session-level advisory lock).
 *
 * @example
 * const client = await connect(url);
 * try {
 *   const { applied } = await deploy(client, { migrationsDir: 'prisma/migrations' }, { verify: true });
 * } finally {
 *   await client.end();
 * }
 */
export async function deploy(client: pg.Client, target: MigrationTarget, options: DeployOptions = {}): Promise<DeployResult> {
  assertOutsideTransaction(client, 'deploy');
  const migrations = readMigrations(target.migrationsDir);
  const runner = await createRunner(client, { historySchema: target.historySchema, ...options });
  return withMigrationLock(
    client,
    async () => {
      if (!(await runner.history.exists())) {
        await assertNoUserTables(client, target);
        await runner.history.createTable();
      }
      const records = await runner.history.records();
      warnAboutMissingMigrations(runner, migrations, records);
      const pending = await pendingMigrations(runner, migrations, records);
      // Every refusal happens here, before the first migration runs.
      const modes: ExecutionMode[] = [];
      for (const { migration } of pending) modes.push(await upMode(runner, migration));
      // What the migrations change in what Prisma cannot see is recorded, even when one of them fails.
      const applied =
        pending.length === 0
          ? []
          : await recordingFingerprint(
              client,
              runner.emit,
              (finished) =>
                watchLocks(runner, async () => {
                  for (const [i, { migration, resume }] of pending.entries()) {
                    await applyMigration(runner, migration, {
                      mode: modes[i]!,
                      ...(resume ? { resume } : {}),
                      verify: options.verify === true,
                    });
                    finished.push(migration.name);
                  }
                }),
              (last) => last,
            );
      return { applied, total: migrations.length };
    },
    { waitMs: runner.settings.lockWaitMs, onWait: (waitedMs) => runner.emit({ event: 'lock-wait', waitedMs }) },
  );
}

/**
 * The migrations deploy applies, in order: those with no counted row (Prisma matches by name
 * only), plus a statement-by-statement migration whose run was interrupted (its row unfinished,
 * without error logs, for the same file), which resumes. Any other unfinished row is a failed
 * migration, which blocks the deploy as in Prisma (P3009).
 */
export async function pendingMigrations(
  runner: Pick<Runner, 'serverVersionNum'>,
  migrations: LocalMigration[],
  records: MigrationRecord[],
): Promise<PendingMigration[]> {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const resumable = new Map<string, MigrationRecord>();
  const blocking: MigrationRecord[] = [];
  for (const record of records.filter(isFailed)) {
    const migration = byName.get(record.migrationName);
    const interrupted =
      migration !== undefined &&
      record.logs === null &&
      checksumMatches(record.checksum, migration.script) &&
      (await upMode(runner, migration)).kind === 'statements';
    if (interrupted) resumable.set(record.migrationName, record);
    else blocking.push(record);
  }
  if (blocking.length > 0) throw failedMigrationsError(blocking);

  const counted = new Set(records.filter(isCounted).map((record) => record.migrationName));
  return migrations
    .filter((migration) => resumable.has(migration.name) || !counted.has(migration.name))
    .map((migration) => {
      const resume = resumable.get(migration.name);
      return resume ? { migration, resume } : { migration };
    });
}

/** Like Prisma, deploy goes on when applied migrations are missing from the folder, but says so. */
function warnAboutMissingMigrations(runner: Runner, migrations: LocalMigration[], records: MigrationRecord[]): void {
  const local = new Set(migrations.map((migration) => migration.name));
  const missing = [...new Set(records.filter(isApplied).map((record) => record.migrationName))].filter((name) => !local.has(name));
  if (missing.length === 0) return;
  runner.emit({
    event: 'warning',
    message: `applied in the database but not in the migrations folder: ${missing.join(', ')} (another branch, or a deleted folder?)`,
  });
}

function failedMigrationsError(failed: MigrationRecord[]): MigrationStateError {
  const details = failed
    .map((record) => {
      const cause = record.logs?.trim().split('\n').filter(Boolean).at(-1);
      return `${record.migrationName} (started ${record.startedAt.toISOString()}${cause ? `: ${cause}` : ''})`;
    })
    .join('; ');
  const first = failed[0]!.migrationName;
  return new MigrationStateError(
    `cannot deploy: failed migration ${details} must be resolved first; after repairing the database run ` +
      `\`npm run migrate -- resolve --rolled-back ${first}\` to retry it, or \`--applied ${first}\` if you completed it by hand`,
    'failed-migration',
    failed.map((record) => record.migrationName),
  );
}

/** Prisma's P3005: no migration history, yet tables in the schemas the migrations would manage. */
export async function assertNoUserTables(client: pg.Client, target: MigrationTarget): Promise<void> {
  const schemas = [...new Set([target.historySchema ?? 'public', ...(target.namespaces ?? [])])];
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND c.relname <> '_prisma_migrations'
      ORDER BY 1 LIMIT 3`,
    [schemas],
  );
  if (rows.length === 0) return;
  throw new MigrationStateError(
    `the database is not empty (${rows.map((row) => row.name).join(', ')}...) but has no migration history; ` +
      `if its schema matches the migrations, baseline it with \`npm run migrate -- resolve --applied <migration>\` for each migration already reflected`,
    'database-not-empty',
    [],
  );
}
