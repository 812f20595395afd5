/**
 * `verify [NAME]`: runs the validate.sql of applied migrations, each in a transaction that is
 * always rolled back, and reports which pass and which fail with the assertion's message.
 */
import type pg from 'pg';
import { UserError } from '../errors.ts';
import { validateMigration } from './apply.ts';
import { readMigrations } from './directory.ts';
import { MigrationHistory, isApplied } from './history.ts';

export interface VerifyResult {
  name: string;
  result: 'passed' | 'failed' | 'no validate.sql';
  message?: string;
}

export async function verify(
  client: pg.Client,
  options: { migrationsDir: string; historySchema?: string | undefined; name?: string | undefined },
): Promise<VerifyResult[]> {
  const migrations = readMigrations(options.migrationsDir);
  const applied = new Set((await new MigrationHistory(client, options.historySchema).records()).filter(isApplied).map((r) => r.migrationName));
  let targets = migrations.filter((migration) => applied.has(migration.name));
  if (options.name !== undefined) {
    if (!migrations.some((migration) => migration.name === options.name)) throw new UserError(`no migration named ${options.name}`);
    if (!applied.has(options.name)) throw new UserError(`${options.name} is not applied: there is nothing to verify`);
    targets = targets.filter((migration) => migration.name === options.name);
  }
  const results: VerifyResult[] = [];
  for (const migration of targets) {
    if (migration.validatePath === undefined) {
      results.push({ name: migration.name, result: 'no validate.sql' });
      continue;
    }
    const problem = await validateMigration(client, migration);
    results.push(problem === undefined ? { name: migration.name, result: 'passed' } : { name: migration.name, result: 'failed', message: problem });
  }
  return results;
}
