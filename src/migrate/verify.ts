/**
 * `verify [NAME]`: runs the validate.sql of applied migrations, each in a transaction that is
 * always rolled back, and reports which pass and which fail with the assertion's message.
 */
import type pg from 'pg';
import { assertOutsideTransaction } from '../db/transaction.ts';
import { validateMigration } from './apply.ts';
import { readMigrations } from './directory.ts';
import { MigrationStateError } from './errors.ts';
import { MigrationHistory, isApplied } from './history.ts';
import type { MigrationTarget } from './target.ts';

export interface VerifyResult {
  name: string;
  result: 'passed' | 'failed' | 'no validate.sql';
  message?: string;
}

/**
 * Runs the validate.sql of every applied migration of `target` (or of `options.name` only), each in
 * a transaction that is always rolled back, and returns each result; a failing assertion is a
 * result, not an error.
 *
 * @example
 * const failed = (await verify(client, target)).filter((result) => result.result === 'failed');
 */
export async function verify(
  client: pg.Client,
  target: MigrationTarget,
  options: { name?: string | undefined } = {},
): Promise<VerifyResult[]> {
  assertOutsideTransaction(client, 'verify');
  const migrations = readMigrations(target.migrationsDir);
  const applied = new Set(
    (await new MigrationHistory(client, target.historySchema).records()).filter(isApplied).map((r) => r.migrationName),
  );
  let targets = migrations.filter((migration) => applied.has(migration.name));
  const { name } = options;
  if (name !== undefined) {
    if (!migrations.some((migration) => migration.name === name))
      throw new MigrationStateError(`no migration named ${name}`, 'unknown-migration', [name]);
    if (!applied.has(name)) throw new MigrationStateError(`${name} is not applied: there is nothing to verify`, 'not-applied', [name]);
    targets = targets.filter((migration) => migration.name === name);
  }
  const results: VerifyResult[] = [];
  for (const migration of targets) {
    if (migration.validatePath === undefined) {
      results.push({ name: migration.name, result: 'no validate.sql' });
      continue;
    }
    const problem = await validateMigration(client, migration);
    results.push(
      problem === undefined ? { name: migration.name, result: 'passed' } : { name: migration.name, result: 'failed', message: problem },
    );
  }
  return results;
}
