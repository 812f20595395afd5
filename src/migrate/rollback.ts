/**
 * `rollback`: runs the down.sql of the most recently applied migrations, newest first, each in its
 * own transaction together with marking its rows rolled back, so that Prisma and the runner alike
 * see it as not applied. Everything that would stop the rollback midway is checked first.
 */
import type pg from 'pg';
import { assertOutsideTransaction } from '../db/transaction.ts';
import { InvalidArgumentError } from '../errors.ts';
import { createRunner, downScript, revertMigration, watchLocks } from './apply.ts';
import { type LocalMigration, readMigrations } from './directory.ts';
import { MigrationStateError } from './errors.ts';
import type { Emit } from './events.ts';
import { type MigrationRecord, isApplied, isFailed } from './history.ts';
import { recordingFingerprint } from './fingerprint.ts';
import { withMigrationLock } from './migration-lock.ts';
import type { RunnerSettings } from './settings.ts';
import type { MigrationTarget } from './target.ts';

export interface RollbackOptions {
  /** How many of the latest applied migrations to roll back (default 1). */
  steps?: number | undefined;
  /** Roll back every migration applied after this one (it stays applied). */
  to?: string | undefined;
  settings?: Partial<RunnerSettings> | undefined;
  emit?: Emit | undefined;
}

/**
 * Rolls back the latest applied migrations of `target` (one, `steps`, or all after `to`), newest
 * first, and returns their names in that order. `client` is a connection of its own, not inside a
 * transaction.
 *
 * @example
 * const { rolledBack } = await rollback(client, target, { to: '20261121104716_add_stock_ledger' });
 */
export async function rollback(
  client: pg.Client,
  target: MigrationTarget,
  options: RollbackOptions = {},
): Promise<{ rolledBack: string[] }> {
  assertOutsideTransaction(client, 'rollback');
  if (options.steps !== undefined && options.to !== undefined) {
    throw new InvalidArgumentError('steps', options.steps, 'left out when `to` is given', 'give either --steps or --to, not both');
  }
  if (options.steps !== undefined && !(Number.isInteger(options.steps) && options.steps >= 1)) {
    throw new InvalidArgumentError('steps', options.steps, 'a whole number of at least 1', '--steps must be a whole number of at least 1');
  }
  const migrations = readMigrations(target.migrationsDir);
  const runner = await createRunner(client, { historySchema: target.historySchema, ...options });
  return withMigrationLock(
    client,
    async () => {
      const records = await runner.history.records();
      const failed = records.filter(isFailed);
      if (failed.length > 0) {
        const names = failed.map((record) => record.migrationName);
        throw new MigrationStateError(
          `cannot roll back while migration ${names[0]} is failed; resolve it first`,
          'failed-migration',
          names,
        );
      }
      const targets = rollbackTargets(migrations, records, options);
      // Every target must be rollback-able before the first one runs.
      for (const migration of targets) await downScript(runner, migration);
      const done = await recordingFingerprint(
        client,
        runner.emit,
        (finished) =>
          watchLocks(runner, async () => {
            for (const migration of targets) {
              await revertMigration(runner, migration);
              finished.push(migration.name);
            }
          }),
        (last) => `rollback of ${last}`,
      );
      return { rolledBack: done };
    },
    { waitMs: runner.settings.lockWaitMs, onWait: (waitedMs) => runner.emit({ event: 'lock-wait', waitedMs }) },
  );
}

/** The migrations to roll back, newest first, by the order in which they were applied. */
function rollbackTargets(migrations: LocalMigration[], records: MigrationRecord[], options: RollbackOptions): LocalMigration[] {
  const applied = records
    .filter(isApplied)
    .sort((a, b) => a.finishedAt!.getTime() - b.finishedAt!.getTime() || a.migrationName.localeCompare(b.migrationName))
    .map((record) => record.migrationName);
  if (applied.length === 0) throw new MigrationStateError('no migration is applied: nothing to roll back', 'nothing-to-roll-back', []);

  let names: string[];
  if (options.to !== undefined) {
    const at = applied.lastIndexOf(options.to);
    if (at === -1) {
      const known = migrations.some((migration) => migration.name === options.to);
      throw known
        ? new MigrationStateError(`--to ${options.to}: that migration is not applied`, 'not-applied', [options.to])
        : new MigrationStateError(`--to ${options.to}: no such migration`, 'unknown-migration', [options.to]);
    }
    names = applied.slice(at + 1);
    if (names.length === 0) {
      throw new MigrationStateError(`${options.to} is the latest applied migration: nothing to roll back`, 'nothing-to-roll-back', [
        options.to,
      ]);
    }
  } else {
    const steps = options.steps ?? 1;
    if (steps > applied.length) {
      throw new MigrationStateError(`--steps ${steps}: only ${applied.length} migration(s) are applied`, 'nothing-to-roll-back', applied);
    }
    names = applied.slice(-steps);
  }
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new MigrationStateError(
      `cannot roll back ${missing.join(', ')}: applied in the database but not in the migrations folder`,
      'missing-locally',
      missing,
    );
  }
  const withoutDown = names.filter((name) => byName.get(name)!.downPath === undefined);
  if (withoutDown.length > 0) {
    throw new MigrationStateError(
      `cannot roll back: ${withoutDown.join(', ')} has no down.sql; nothing was rolled back`,
      'no-down-script',
      withoutDown,
    );
  }
  return names.reverse().map((name) => byName.get(name)!);
}
