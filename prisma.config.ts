// Prisma 7 configuration, read by the Prisma CLI and by supply-ledger's own commands.
// `satisfies PrismaConfig` rather than `defineConfig()`: same checking, and a type-only import
// keeps prisma/config (a third of a second to load) out of every supply-ledger command.
import type { PrismaConfig } from 'prisma';
import { runningEmbeddedUrl } from './src/db/embedded-layout.ts';
import { readEnvironment } from './src/db/env.ts';

const env = readEnvironment();
// DATABASE_URL, else the embedded server while it runs (npm run db:start), so that
// `npx prisma migrate dev` and `npx prisma studio` need no setup on a developer machine.
const url = env.databaseUrl ?? runningEmbeddedUrl(env.embeddedDir);

export default {
  schema: 'prisma/schema',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx scripts/supply-ledger.ts db seed',
  },
  ...(url === undefined ? {} : { datasource: { url } }),
} satisfies PrismaConfig;
