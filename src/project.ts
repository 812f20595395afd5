import path from 'node:path';
import prismaConfig from '../prisma.config.ts';
import { PROJECT_ROOT } from './db/env.ts';
import { datasourceSchemas } from './migrate/namespaces.ts';

/** The migrations folder named in prisma.config.ts, absolute. */
export const MIGRATIONS_DIR = path.resolve(PROJECT_ROOT, prismaConfig.migrations?.path ?? 'prisma/migrations');

/** The Prisma schema (file or folder) named in prisma.config.ts, absolute. */
export const SCHEMA_PATH = path.resolve(PROJECT_ROOT, prismaConfig.schema ?? 'prisma/schema');

/** The seed command of prisma.config.ts (`migrations.seed`), run from the project root. */
export const SEED_COMMAND: string | undefined = prismaConfig.migrations?.seed;

/** The PostgreSQL schemas the project's Prisma schema manages (its datasource `schemas`). */
export function namespaces(): string[] {
  return datasourceSchemas(SCHEMA_PATH);
}
