// Prisma 7 configuration, read by the Prisma CLI. The paths and the seed come from src/project.ts,
// which supply-ledger's own commands read too, so that both always agree.
// `satisfies PrismaConfig` rather than `defineConfig()`: the same checking, from a type-only import.
import type { PrismaConfig } from 'prisma';
import { runningEmbeddedUrl } from './src/db/embedded-layout.ts';
import { readEnvironment } from './src/db/env.ts';
import { MIGRATIONS_PATH, SCHEMA_FOLDER, SEED_COMMAND } from './src/project.ts';

const env = readEnvironment();
// DATABASE_URL, else the embedded server while it runs (npm run db:start), so that
// `npx prisma migrate dev` and `npx prisma studio` need no setup on a developer machine.
const url = env.databaseUrl ?? runningEmbeddedUrl(env.embeddedDir);

export default {
  schema: SCHEMA_FOLDER,
  migrations: {
    path: MIGRATIONS_PATH,
    seed: SEED_COMMAND,
  },
  ...(url === undefined ? {} : { datasource: { url } }),
} satisfies PrismaConfig;
