import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyMigrationsThrough } from '../../src/migrate/directory.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';

const folders: string[] = [];

/** Removes the folders {@link migrationsFolder} wrote (after-env.ts calls it after each test file). */
export function removeMigrationsFolders(): void {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes a Prisma migrations folder in a fresh temporary directory: one sub-folder per entry,
 * holding `migration.sql` (and `down.sql`/`validate.sql` when given), plus migration_lock.toml.
 */
export function migrationsFolder(
  migrations: Record<string, string | { up: string; down?: string; validate?: string }>,
  provider = 'postgresql',
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-migrations-'));
  folders.push(dir);
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), `provider = "${provider}"\n`);
  for (const [name, files] of Object.entries(migrations)) {
    const { up, down, validate } = typeof files === 'string' ? { up: files, down: undefined, validate: undefined } : files;
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), up);
    if (down !== undefined) fs.writeFileSync(path.join(dir, name, 'down.sql'), down);
    if (validate !== undefined) fs.writeFileSync(path.join(dir, name, 'validate.sql'), validate);
  }
  return dir;
}

/**
 * The repository's migrations up to and including `last`, copied into a fresh temporary folder:
 * what a database that has not deployed the later ones yet was deployed from.
 */
export function migrationsThrough(last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-migrations-'));
  folders.push(dir);
  copyMigrationsThrough(MIGRATIONS_DIR, last, dir);
  return dir;
}
