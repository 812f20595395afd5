import path from 'node:path';
import prismaConfig from '../prisma.config.ts';
import { PROJECT_ROOT } from './db/env.ts';

/** The migrations folder named in prisma.config.ts, absolute. */
export const MIGRATIONS_DIR = path.resolve(PROJECT_ROOT, prismaConfig.migrations?.path ?? 'prisma/migrations');

/** The seed command of prisma.config.ts (`migrations.seed`), run from the project root. */
export const SEED_COMMAND: string | undefined = prismaConfig.migrations?.seed;
