/**
 * `migrate deploy --backup`: a verified backup before anything changes. When migrations are
 * pending, the database is dumped, recorded and verified first (createBackup); a backup that fails
 * verification stops the deploy before its first migration. A database that predates
 * ops.migration_backup gets its record once the deploy has created the table.
 */
import type pg from 'pg';
import { type DeployOptions, type DeployResult, deploy } from '../migrate/deploy.ts';
import { planDeploy } from '../migrate/plan.ts';
import type { MigrationTarget } from '../migrate/target.ts';
import { type BackupRecord, type CreateBackupOptions, createBackup, insertRecord } from './backup.ts';

export interface DeployWithBackupResult extends DeployResult {
  /** The backup made before the first pending migration; undefined when nothing was pending. */
  backup: BackupRecord | undefined;
}

/**
 * Backs up (and verifies) the database of `client` when `target` has pending migrations, then
 * deploys them. `url` is the client's URL (the dump and the scratch database need it).
 */
export async function deployWithBackup(
  client: pg.Client,
  url: string,
  target: MigrationTarget,
  options: DeployOptions & { backup: Omit<CreateBackupOptions, 'migration'> },
): Promise<DeployWithBackupResult> {
  const plan = await planDeploy(client, target, { settings: options.settings });
  const next = plan.pending[0]?.name;
  let backup: BackupRecord | undefined;
  if (next === undefined) options.backup.log?.('nothing pending: no backup made');
  else backup = await createBackup(client, url, { ...options.backup, migration: next });
  const result = await deploy(client, target, options);
  if (backup !== undefined && backup.id === undefined) backup.id = await insertRecord(client, backup);
  return { ...result, backup };
}
