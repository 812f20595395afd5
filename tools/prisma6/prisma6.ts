/**
 * Prisma's own schema engine, for machines that cannot download Prisma 7's native engine: the
 * Prisma 6.19 CLI (devDependency `prisma6`, the last one able to drive the WebAssembly schema
 * engine through a driver adapter) with ./prisma.config.ts, on a copy of the project's schema.
 *
 * `diff`, `drift` and `createMigration` replay the migrations into a scratch database, created and
 * dropped on the given server, and compare the result with the schema; `deploy` and `status` are
 * Prisma's own `migrate deploy/status`. Each call takes 2-3 s. What Prisma does not model
 * (triggers, functions, views, CHECK constraints, RLS) is invisible here, as to Prisma itself.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, serverAddress, urlForDatabase } from '../../src/db/connect.ts';
import { InvalidArgumentError, SupplyLedgerError } from '../../src/errors.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../../src/project.ts';
import { CONFIG_ENV } from './config-env.ts';
import { copySchemaForPrisma6 } from './schema-copy.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONFIG_FILE = path.join(HERE, 'prisma.config.ts');
const TIMER_PRELOAD = path.join(HERE, 'unref-long-timers.cjs');
const PRISMA6_CLI = createRequire(import.meta.url).resolve('prisma6/build/index.js');

/** How long one Prisma CLI call may take: calls take 2-3 s, more on a loaded machine. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** What every call works on; the defaults are prisma.config.ts's. */
export interface Prisma6Options {
  /** The migrations folder (default `prisma/migrations`). */
  migrationsDir?: string;
  /** The Prisma schema, a file or a folder (default `prisma/schema`). */
  schemaPath?: string;
  /** After this long the Prisma CLI is stopped and the call fails (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Options of the calls that replay the migrations into a scratch database. */
export interface ScratchOptions extends Prisma6Options {
  /** A server on which a scratch database may be created and dropped (any database URL on it). */
  serverUrl: string;
}

/** How a Prisma CLI call ended. */
export interface PrismaRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The SQL that takes a database deployed from the migrations to the schema, as Prisma renders it
 * (`prisma migrate diff --from-migrations ... --to-schema-datamodel ... --script`): statements
 * under Prisma's `-- CreateTable`-style headers, or only `-- This is an empty migration.` when
 * they agree.
 */
export async function diff(options: ScratchOptions): Promise<{ sql: string }> {
  const paths = existingPaths(options);
  return withScratchDatabase(options.serverUrl, async (databaseUrl) => {
    const run = await runPrisma6(
      (schemaCopy) => ['migrate', 'diff', '--from-migrations', paths.migrationsDir, '--to-schema-datamodel', schemaCopy, '--script'],
      { ...options, ...paths, databaseUrl },
    );
    if (run.exitCode !== 0) throw prismaFailure('migrate diff', run);
    // The CLI prints the script, then its own (empty) result with one more newline.
    return { sql: run.stdout.replace(/\n$/, '') };
  });
}

/**
 * Whether the migrations produce exactly the schema: `missingSql` is the SQL `prisma migrate dev`
 * would add (see {@link diff}), or '' when there is none.
 */
export async function drift(options: ScratchOptions): Promise<{ missingSql: string }> {
  const { sql } = await diff(options);
  return { missingSql: hasStatements(sql) ? sql : '' };
}

/**
 * Writes `<migrations>/<UTC timestamp>_<name>/migration.sql` as
 * `prisma migrate dev --create-only --name <name>` does: the {@link diff} SQL, or an empty
 * migration (for hand-written SQL) when the migrations already produce the schema.
 */
export async function createMigration(name: string, options: ScratchOptions): Promise<{ file: string; empty: boolean }> {
  checkMigrationName(name);
  const { sql } = await diff(options);
  const folder = path.join(existingPaths(options).migrationsDir, `${utcTimestamp(new Date())}_${name}`);
  if (fs.existsSync(folder)) throw new Prisma6Error(`${folder} exists already; try again in a second`, 'migrate dev');
  fs.mkdirSync(folder);
  const file = path.join(folder, 'migration.sql');
  fs.writeFileSync(file, sql);
  return { file, empty: !hasStatements(sql) };
}

/** Prisma's own `prisma migrate deploy` against `databaseUrl`. */
export async function deploy(databaseUrl: string, options: Prisma6Options = {}): Promise<PrismaRun> {
  return migrateOn(databaseUrl, 'deploy', options);
}

/** Prisma's own `prisma migrate status` against `databaseUrl` (exit code 1 when not up to date). */
export async function status(databaseUrl: string, options: Prisma6Options = {}): Promise<PrismaRun> {
  return migrateOn(databaseUrl, 'status', options);
}

async function migrateOn(databaseUrl: string, command: 'deploy' | 'status', options: Prisma6Options): Promise<PrismaRun> {
  const paths = existingPaths(options);
  // Prisma reports an unreachable database in several lines; the project's connect() in one.
  await (await connect(databaseUrl, 'supply-ledger prisma6')).end();
  return runPrisma6(() => ['migrate', command], { ...options, ...paths, databaseUrl });
}

/** The options' migrations folder and schema, absolute, checked before any database work. */
function existingPaths(options: Prisma6Options): { migrationsDir: string; schemaPath: string } {
  const migrationsDir = path.resolve(options.migrationsDir ?? MIGRATIONS_DIR);
  const schemaPath = path.resolve(options.schemaPath ?? SCHEMA_PATH);
  if (!fs.statSync(migrationsDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidArgumentError('migrationsDir', migrationsDir, 'a migrations folder', `no migrations folder at ${migrationsDir}`);
  }
  if (!fs.existsSync(schemaPath))
    throw new InvalidArgumentError('schemaPath', schemaPath, 'a Prisma schema', `no Prisma schema at ${schemaPath}`);
  return { migrationsDir, schemaPath };
}

/** Migration folders are `<timestamp>_<verb>_<object>`, snake_case (docs/CONVENTIONS.md). */
function checkMigrationName(name: string): void {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) {
    throw new InvalidArgumentError('name', name, 'snake_case', `a migration name is snake_case, such as add_stock_counts; got '${name}'`);
  }
}

/** `YYYYMMDDHHMMSS` in UTC, as Prisma names migration folders. */
function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

function hasStatements(sql: string): boolean {
  return sql.split('\n').some((line) => line.trim() !== '' && !line.trimStart().startsWith('--'));
}

/**
 * Runs `fn` with the URL of a new empty database on `serverUrl`, dropped afterwards. Prisma 6's pg
 * adapter replays `--from-migrations` into the database it is connected to (its "shadow" pool
 * keeps the connection string's database), so that database must be a throwaway one.
 */
async function withScratchDatabase<T>(serverUrl: string, fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const name = `prisma6_scratch_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = await connect(serverUrl, 'supply-ledger prisma6');
  try {
    await admin.query(`CREATE DATABASE "${name}"`).catch((error: Error) => {
      throw new Prisma6Error(`cannot create a scratch database on ${serverAddress(serverUrl)}: ${error.message}`, 'migrate diff');
    });
    try {
      return await fn(urlForDatabase(serverUrl, name));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Runs the Prisma 6 CLI with ./prisma.config.ts on a patched copy of the schema, in a temporary
 * folder removed afterwards. `args` gets the copy's path.
 */
async function runPrisma6(
  args: (schemaCopy: string) => string[],
  target: { databaseUrl: string; migrationsDir: string; schemaPath: string; timeoutMs?: number },
): Promise<PrismaRun> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'supply-ledger-prisma6-'));
  try {
    const schemaCopy = copySchemaForPrisma6(target.schemaPath, workDir);
    const env = {
      ...process.env,
      [CONFIG_ENV.DATABASE_URL]: target.databaseUrl,
      [CONFIG_ENV.SCHEMA]: schemaCopy,
      [CONFIG_ENV.MIGRATIONS]: target.migrationsDir,
      // No update notice, telemetry or warning banners in the output.
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
      PRISMA_DISABLE_WARNINGS: '1',
    };
    const prismaArgs = args(schemaCopy);
    // --liftoff-only: V8 compiles the 4 MB engine with its baseline compiler only; optimizing it
    // costs more than it saves in a call this short (about a fifth of the CPU time, measured).
    const nodeArgs = ['--liftoff-only', '--require', TIMER_PRELOAD, PRISMA6_CLI, ...prismaArgs, '--config', CONFIG_FILE];
    const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return await spawnWithTimeout(nodeArgs, { cwd: workDir, env }, timeoutMs, `prisma ${prismaArgs.slice(0, 2).join(' ')}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs Node with `args`, collecting its output; a run longer than `timeoutMs` is killed and fails, naming `command`. */
function spawnWithTimeout(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  timeoutMs: number,
  command: string,
): Promise<PrismaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Prisma6Error(`${command} (Prisma 6) did not finish within ${timeoutMs / 1000} s and was stopped`, command));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 1, stdout, stderr });
    });
  });
}

/** A failed Prisma call as an error carrying Prisma's own message, without its config banners. */
function prismaFailure(command: string, run: PrismaRun): Prisma6Error {
  const message = run.stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(Loaded Prisma config|Prisma config detected)/.test(line))
    .join('\n');
  return new Prisma6Error(`prisma ${command} (Prisma 6) failed with exit code ${run.exitCode}:\n${message}`, command, run);
}

/** A Prisma 6 CLI call failed, timed out, or could not be set up. */
export class Prisma6Error extends SupplyLedgerError {
  override readonly name = 'Prisma6Error';

  constructor(
    message: string,
    /** The Prisma command: `migrate diff`, `migrate deploy`... */
    readonly command: string,
    /** How the CLI ended, when it ran to the end. */
    readonly run?: PrismaRun,
  ) {
    super(message);
  }
}
