import { spawn } from 'node:child_process';
import path from 'node:path';
import { connect, redact } from '../db/connect.ts';
import { PROJECT_ROOT, readEnvironment } from '../db/env.ts';
import { projectEmbeddedServer, resolveDatabase, withResolvedDatabase } from '../db/resolve.ts';
import { UserError } from '../errors.ts';
import type { Io } from './io.ts';
import { SEED_COMMAND } from '../project.ts';
import { seed, seedAllowed } from '../seed/index.ts';
import { deploySummary, deployTo } from './migrate.ts';

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
  if (!running) throw new UserError('embedded PostgreSQL is not running; start it with `npm run db:start`');
  io.out(running.url);
}

/** `db seed`: runs the seed steps on the resolved database (prisma.config.ts `migrations.seed`). */
export async function dbSeed(io: Io): Promise<void> {
  if (!seedAllowed(process.env)) {
    throw new UserError('refusing to seed with NODE_ENV=production; set ALLOW_SEED=true to override');
  }
  await withResolvedDatabase(async (url) => {
    const client = await connect(url, 'supply-ledger seed');
    try {
      await seed(client, (line) => io.out(line));
    } finally {
      await client.end();
    }
  });
}

/**
 * `db setup`: the main job. Resolves the database (starting the embedded server to stay up when
 * DATABASE_URL is unset), deploys pending migrations, runs the seed and prints a summary.
 */
export async function dbSetup(io: Io): Promise<void> {
  const started = performance.now();
  const database = await resolveDatabase({ persistent: true });
  const result = await deployTo(database.url, { io });
  const seedResult = await runSeedCommand(database.url, io);
  const where = database.source === 'embedded' ? 'embedded server, left running; `npm run db:stop` stops it' : 'DATABASE_URL';
  io.out(
    [
      'supply-ledger db setup',
      `  database    ${redact(database.url)} (${where})`,
      `  server      PostgreSQL ${result.serverVersion}`,
      `  migrations  ${deploySummary(result)}`,
      `  seed        ${seedResult}`,
      `  elapsed     ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}

/** Runs prisma.config.ts `migrations.seed` against `url`, as `prisma db seed` would, its output passed to `io`. */
async function runSeedCommand(url: string, io: Io): Promise<string> {
  const command = SEED_COMMAND;
  if (command === undefined) return 'none configured';
  const env = {
    ...process.env,
    DATABASE_URL: url,
    PATH: `${path.join(PROJECT_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, { shell: true, cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.writeErr(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new UserError(`the seed command \`${command}\` failed with exit code ${code}`);
  return `\`${command}\` ok`;
}
