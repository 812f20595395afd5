/**
 * `resolve --applied NAME` and `resolve --rolled-back NAME`, with the checks and row changes of
 * Prisma's `migrate resolve` (prisma-engines: commands/mark_migration_applied.rs and
 * mark_migration_rolled_back.rs), under the same migration lock.
 */
import type pg from 'pg';
import { readMigrations } from './directory.ts';
import { MigrationStateError } from './errors.ts';
import { MigrationHistory, isFailed } from './history.ts';
import { withMigrationLock } from './migration-lock.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { MigrationTarget } from './target.ts';

export interface ResolveOptions {
  /** How long to wait for another run's migration lock, in ms. */
  lockWaitMs?: number | undefined;
}

/**
 * Records `name` as applied without running it (baselining, or a failed migration completed by
 * hand): its failed rows are retired and a finished row is inserted. Refused when the migration is
 * not in the migrations folder (P3017) or was already applied (P3008).
 *
 * @example
 * // A database created before it had a migration history: record the baseline as applied.
 * await resolveApplied(client, target, '20261121103714_create_catalog_inventory_baseline');
 */
export async function resolveApplied(
  client: pg.Client,
  target: MigrationTarget,
  name: string,
  options: ResolveOptions = {},
): Promise<void> {
  const migration = readMigrations(target.migrationsDir).find((candidate) => candidate.name === name);
  if (migration === undefined) {
    throw new MigrationStateError(`migration ${name} is not in ${target.migrationsDir}; nothing to mark applied`, 'unknown-migration', [
      name,
    ]);
  }
  const history = new MigrationHistory(client, target.historySchema);
  await withMigrationLock(
    client,
    async () => {
      await history.ensureTable();
      const rows = (await history.records()).filter((record) => record.migrationName === name);
      if (rows.some((record) => record.finishedAt !== null)) {
        throw new MigrationStateError(`migration ${name} is already recorded as applied in the database`, 'already-applied', [name]);
      }
      await history.markRolledBack(rows.filter(isFailed).map((record) => record.id));
      await history.recordMarkedApplied(name, migration.checksum);
    },
    { waitMs: options.lockWaitMs ?? DEFAULT_SETTINGS.lockWaitMs },
  );
}

/**
 * Records the failed attempt(s) of `name` as rolled back, after the database was repaired by hand,
 * so that deploy tries the migration again. Refused when it never ran (P3011) or when every
 * attempt succeeded (P3012: use `rollback` to undo an applied migration).
 *
 * @example
 * await resolveRolledBack(client, target, failed.migration); // after repairing what it left, deploy retries it
 */
export async function resolveRolledBack(
  client: pg.Client,
  target: MigrationTarget,
  name: string,
  options: ResolveOptions = {},
): Promise<void> {
  const history = new MigrationHistory(client, target.historySchema);
  await withMigrationLock(
    client,
    async () => {
      const rows = (await history.records()).filter((record) => record.migrationName === name);
      if (rows.length === 0) {
        throw new MigrationStateError(
          `migration ${name} cannot be marked rolled back: it was never applied to this database`,
          'not-failed',
          [name],
        );
      }
      if (rows.every((record) => record.finishedAt !== null)) {
        throw new MigrationStateError(
          `migration ${name} cannot be marked rolled back: it did not fail; to undo an applied migration run \`npm run migrate -- rollback --to <the migration before it>\``,
          'not-failed',
          [name],
        );
      }
      await history.markRolledBack(rows.filter(isFailed).map((record) => record.id));
    },
    { waitMs: options.lockWaitMs ?? DEFAULT_SETTINGS.lockWaitMs },
  );
}
