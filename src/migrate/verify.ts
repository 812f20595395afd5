/**
 * `verify [NAME]`: runs the validate.sql of applied migrations, each in a transaction that is
 * always rolled back, and reports which pass and which fail with the assertion's message; then,
 * when the schema has it, `core.validate_schema_integrity()` (tenancy, keys, roles, comments).
 */
import type pg from 'pg';
import { assertOutsideTransaction } from '../db/transaction.ts';
import { migrationRole, validateMigration } from './apply.ts';
import { readMigrations } from './directory.ts';
import { MigrationStateError } from './errors.ts';
import { MigrationHistory, isApplied } from './history.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { MigrationTarget } from './target.ts';

export interface VerifyResult {
  /** The migration, or `core.validate_schema_integrity(): <check>` for a failed check of the schema's own. */
  name: string;
  result: 'passed' | 'failed' | 'no validate.sql';
  message?: string;
}

/** The function that checks the schema as a whole (add_schema_integrity_check), when it exists. */
export const SCHEMA_INTEGRITY_FUNCTION = 'core.validate_schema_integrity()';

/**
 * Runs the validate.sql of every applied migration of `target` (or of `options.name` only), each in
 * a transaction that is always rolled back, as the role migrations run as (`ownerRole`, see
 * `migrationRole`), and returns each result; a failing assertion is a result, not an error.
 * Verifying every migration ends with {@link SCHEMA_INTEGRITY_FUNCTION} when the database has it:
 * one failed result per failing check (named `core.validate_schema_integrity(): <check>`, its
 * details as the message), or a single passed result naming how many checks passed.
 *
 * @example
 * const failed = (await verify(client, target)).filter((result) => result.result === 'failed');
 */
export async function verify(
  client: pg.Client,
  target: MigrationTarget,
  options: { name?: string | undefined; ownerRole?: string | null | undefined } = {},
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
  const role = await migrationRole(client, options.ownerRole === undefined ? DEFAULT_SETTINGS.ownerRole : options.ownerRole);
  const results: VerifyResult[] = [];
  for (const migration of targets) {
    if (migration.validatePath === undefined) {
      results.push({ name: migration.name, result: 'no validate.sql' });
      continue;
    }
    const problem = await validateMigration(client, migration, { role });
    results.push(
      problem === undefined ? { name: migration.name, result: 'passed' } : { name: migration.name, result: 'failed', message: problem },
    );
  }
  if (name === undefined) results.push(...(await schemaIntegrity(client)));
  return results;
}

/** The results of {@link SCHEMA_INTEGRITY_FUNCTION}, or none when the schema has no such function. */
async function schemaIntegrity(client: pg.Client): Promise<VerifyResult[]> {
  const { rows: found } = await client.query<{ exists: boolean }>('SELECT to_regprocedure($1) IS NOT NULL AS exists', [
    SCHEMA_INTEGRITY_FUNCTION,
  ]);
  if (found[0]?.exists !== true) return [];
  const { rows } = await client.query<{ check_name: string; status: string; details: string }>(
    `SELECT check_name, status, details FROM ${SCHEMA_INTEGRITY_FUNCTION}`,
  );
  const failed = rows.filter((row) => row.status !== 'PASS');
  if (failed.length === 0) return [{ name: SCHEMA_INTEGRITY_FUNCTION, result: 'passed', message: `${rows.length} checks passed` }];
  return failed.map((row) => ({ name: `${SCHEMA_INTEGRITY_FUNCTION}: ${row.check_name}`, result: 'failed', message: row.details }));
}
