import { redact } from '../db/connect.ts';
import { projectEmbeddedServer, withConnection, withPool } from '../db/database.ts';
import { readEnvironment } from '../db/env.ts';
import { projectMigrationTarget } from '../project.ts';
import { seed, seedAllowed } from '../seed/index.ts';
import { CommandError } from './errors.ts';
import type { Io } from './io.ts';
import { deploySummary, deployWithVersion, eventPrinter } from './migrate.ts';

/** `db start`: starts the embedded server in the background and prints its URL. */
export async function dbStart(io: Io): Promise<void> {
  const server = await projectEmbeddedServer().startPersistent();
  io.out(server.url);
  io.err(server.started ? 'embedded PostgreSQL started; `npm run db:stop` stops it' : 'embedded PostgreSQL was already running');
}

/** `db stop`: stops the embedded server. */
export async function dbStop(io: Io): Promise<void> {
  const stopped = await projectEmbeddedServer().stop();
  io.out(stopped ? 'embedded PostgreSQL stopped' : 'embedded PostgreSQL was not running');
}

/** `db url`: prints the URL commands use: DATABASE_URL, else the running embedded server's. */
export function dbUrl(io: Io): void {
  const env = readEnvironment();
  if (env.databaseUrl !== undefined) {
    io.out(env.databaseUrl);
    return;
  }
  const running = projectEmbeddedServer().running();
  if (!running) throw new CommandError('embedded PostgreSQL is not running; start it with `npm run db:start`');
  io.out(running.url);
}

/** `db seed`: runs the seed steps on the resolved database (also `npx prisma db seed`). */
export async function dbSeed(io: Io): Promise<void> {
  assertSeedAllowed();
  await withPool((pool) => seed(pool, (line) => io.out(line)), { applicationName: 'supply-ledger seed' });
}

function assertSeedAllowed(): void {
  if (!seedAllowed(process.env)) throw new CommandError('refusing to seed with NODE_ENV=production; set ALLOW_SEED=true to override');
}

/**
 * `db setup`: the main job. Resolves the database (starting the embedded server to stay up when
 * DATABASE_URL is unset), deploys pending migrations, runs the seed and prints a summary.
 */
export async function dbSetup(io: Io): Promise<void> {
  const started = performance.now();
  const summary = await withConnection(
    async (client, database) => {
      const result = await deployWithVersion(client, projectMigrationTarget(database.url), { emit: eventPrinter(io) });
      let seeded = 'skipped: NODE_ENV=production (ALLOW_SEED=true runs it)';
      if (seedAllowed(process.env)) {
        const steps = await withPool((pool) => seed(pool, (line) => io.out(line)), {
          url: database.url,
          applicationName: 'supply-ledger seed',
        });
        seeded = `${steps} steps done`;
      }
      const where = database.source === 'embedded' ? 'embedded server, left running; `npm run db:stop` stops it' : 'DATABASE_URL';
      return [
        `  database    ${redact(database.url)} (${where})`,
        `  server      PostgreSQL ${result.serverVersion}`,
        `  migrations  ${deploySummary(result)}`,
        `  seed        ${seeded}`,
      ];
    },
    { persistent: true, applicationName: 'supply-ledger setup' },
  );
  io.out(['supply-ledger db setup', ...summary, `  elapsed     ${((performance.now() - started) / 1000).toFixed(1)} s`].join('\n'));
}
