import fs from 'node:fs';
import path from 'node:path';
import { MigrationsFolderError } from './errors.ts';
import { scriptChecksum } from './checksum.ts';

/** The provider this project's migrations are written for (Prisma's migration_lock.toml). */
export const PROVIDER = 'postgresql';

/** One folder of prisma/migrations. Only `migration.sql` is Prisma's; the other files are the runner's. */
export interface LocalMigration {
  name: string;
  folder: string;
  /** The text of migration.sql, exactly as Prisma reads it. */
  script: string;
  checksum: string;
  /** Path of down.sql (rollback), when the folder has one. */
  downPath: string | undefined;
  /** Path of validate.sql (post-migration assertions), when the folder has one. */
  validatePath: string | undefined;
}

/**
 * Lists the migrations of `migrationsDir` in the order Prisma applies them: every sub-folder,
 * sorted by name with `localeCompare` as Prisma's CLI does. Checks migration_lock.toml's provider
 * as `prisma migrate deploy` does. A folder without migration.sql is an error, as in Prisma.
 */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationsFolderError(`cannot read the migrations folder ${migrationsDir}: ${(error as Error).message}`, migrationsDir);
  }
  checkProvider(migrationsDir);
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => readMigration(migrationsDir, name));
}

function readMigration(migrationsDir: string, name: string): LocalMigration {
  const folder = path.join(migrationsDir, name);
  let script: string;
  try {
    script = fs.readFileSync(path.join(folder, 'migration.sql'), 'utf8');
  } catch (error) {
    throw new MigrationsFolderError(
      `migration ${name} has no readable migration.sql (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      migrationsDir,
      name,
    );
  }
  const optional = (file: string) => (fs.existsSync(path.join(folder, file)) ? path.join(folder, file) : undefined);
  return {
    name,
    folder,
    script,
    checksum: scriptChecksum(script),
    downPath: optional('down.sql'),
    validatePath: optional('validate.sql'),
  };
}

function checkProvider(migrationsDir: string): void {
  let lockfile: string;
  try {
    lockfile = fs.readFileSync(path.join(migrationsDir, 'migration_lock.toml'), 'utf8');
  } catch {
    return; // Prisma accepts a migrations folder without a lock file.
  }
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(lockfile)?.[1];
  if (provider !== undefined && provider !== PROVIDER) {
    throw new MigrationsFolderError(
      `migration_lock.toml says these migrations are for '${provider}', but this runner deploys to '${PROVIDER}'; they cannot be applied here`,
      migrationsDir,
    );
  }
}

/**
 * Copies the migrations of `migrationsDir` up to and including `last`, with migration_lock.toml,
 * into the existing folder `targetDir`: what a database that has not deployed the later ones yet
 * was deployed from (tests and benches of a migration's effect on an earlier schema).
 */
export function copyMigrationsThrough(migrationsDir: string, last: string, targetDir: string): void {
  const migrations = readMigrations(migrationsDir);
  if (!migrations.some((migration) => migration.name === last)) {
    throw new MigrationsFolderError(`no migration named ${last} in ${migrationsDir}`, migrationsDir, last);
  }
  fs.copyFileSync(path.join(migrationsDir, 'migration_lock.toml'), path.join(targetDir, 'migration_lock.toml'));
  for (const migration of migrations) {
    fs.cpSync(migration.folder, path.join(targetDir, migration.name), { recursive: true });
    if (migration.name === last) break;
  }
}
