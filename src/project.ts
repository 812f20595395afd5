/**
 * Where the project keeps its Prisma schema, migrations and seed. prisma.config.ts reads these, so
 * that Prisma's CLI and the project's own commands always agree.
 */
import path from 'node:path';
import { defaultSchema } from './db/connect.ts';
import { PROJECT_ROOT } from './db/env.ts';
import { datasourceSchemas } from './migrate/namespaces.ts';
import type { MigrationTarget } from './migrate/target.ts';

/** The migrations folder, relative to the project root (prisma.config.ts `migrations.path`). */
export const MIGRATIONS_PATH = 'prisma/migrations';
/** The multi-file Prisma schema, relative to the project root (prisma.config.ts `schema`). */
export const SCHEMA_FOLDER = 'prisma/schema';
/** The seed command, run from the project root (prisma.config.ts `migrations.seed`, `prisma db seed`). */
export const SEED_COMMAND = 'tsx scripts/supply-ledger.ts db seed';

/** The migrations folder, absolute. */
export const MIGRATIONS_DIR = path.resolve(PROJECT_ROOT, MIGRATIONS_PATH);

/** The Prisma schema folder, absolute. */
export const SCHEMA_PATH = path.resolve(PROJECT_ROOT, SCHEMA_FOLDER);

/** The PostgreSQL schemas the project's Prisma schema manages (its datasource `schemas`). */
export function namespaces(): string[] {
  return datasourceSchemas(SCHEMA_PATH);
}

/**
 * The project's own migrations, as the database at `url` keeps their history: in the schema its
 * URL names (`?schema=`), else `public`, as Prisma does.
 *
 * @example
 * await withConnection((client, { url }) => deploy(client, projectMigrationTarget(url)));
 */
export function projectMigrationTarget(url: string): MigrationTarget {
  return { migrationsDir: MIGRATIONS_DIR, historySchema: defaultSchema(url), namespaces: namespaces() };
}
