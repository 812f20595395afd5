/**
 * Database helpers for test files. Each Jest worker has its own database, cloned from the
 * migrated template before its first test file (after-env.ts); connections are opened lazily and
 * closed after each test file.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connect, databaseName, quoteIdent, urlForDatabase } from '../../src/db/connect.ts';
import { type PrismaClient, createPrismaClient } from '../../src/db/prisma.ts';
import { type Transaction, transaction } from '../../src/db/transaction.ts';
import { TEST_ENV } from './run.ts';
import { testDatabaseName } from './template.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run the tests through jest (npm test)`);
  return value;
}

/** A URL on the test server for administrative work (creating and dropping databases). */
export function serverUrl(): string {
  return required(TEST_ENV.SERVER_URL);
}

/** The migrated template this run's databases are cloned from. */
export function templateName(): string {
  return required(TEST_ENV.TEMPLATE);
}

/** This worker's database. */
export function workerDatabaseUrl(): string {
  const name = testDatabaseName(Number(required(TEST_ENV.RUN_PID)), `w${process.env.JEST_WORKER_ID ?? '1'}`);
  return urlForDatabase(serverUrl(), name);
}

/**
 * Clones this worker's database from the template unless it exists. A worker runs its test files
 * one after another, and workers have distinct ids, so no two callers race for one name.
 */
export async function ensureWorkerDatabase(): Promise<void> {
  const name = databaseName(workerDatabaseUrl());
  const admin = await connect(serverUrl(), 'supply-ledger tests');
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateName())}`);
  } finally {
    await admin.end();
  }
}

let workerPool: pg.Pool | undefined;
let workerPrisma: PrismaClient | undefined;

/** A pg pool on this worker's database. */
export function pool(): pg.Pool {
  workerPool ??= new pg.Pool({ connectionString: workerDatabaseUrl(), max: 10 });
  return workerPool;
}

/** A Prisma client on this worker's database. */
export function prisma(): PrismaClient {
  workerPrisma ??= createPrismaClient(workerDatabaseUrl());
  return workerPrisma;
}

/**
 * Runs `fn` in a transaction that is always rolled back, so SQL-behaviour tests (triggers,
 * constraints, functions) leave the worker's database as they found it, whether they pass or not.
 */
export function withRollback<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return transaction(pool(), fn, { rollback: true });
}

/**
 * Creates a database of this run for one test (empty, or cloned from `template`) and returns its
 * URL. The run's teardown drops it if the test does not; {@link dropScratchDatabase} drops it now.
 */
export async function createScratchDatabase(options: { template?: string } = {}): Promise<string> {
  const name = testDatabaseName(Number(required(TEST_ENV.RUN_PID)), `s${randomUUID().slice(0, 8)}`);
  const admin = await connect(serverUrl());
  try {
    const template = options.template === undefined ? '' : ` TEMPLATE ${quoteIdent(options.template)}`;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}${template}`);
  } finally {
    await admin.end();
  }
  return urlForDatabase(serverUrl(), name);
}

export async function dropScratchDatabase(url: string): Promise<void> {
  const admin = await connect(serverUrl());
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const scratch: { url: string; client: pg.Client }[] = [];

/**
 * A database of this run (empty, or cloned from `template`) with an open connection, both cleaned
 * up by {@link dropScratchDatabases} (after-env.ts calls it after each test file).
 */
export async function scratchDatabase(options: { template?: string } = {}): Promise<{ url: string; client: pg.Client }> {
  const url = await createScratchDatabase(options);
  const client = await connect(url);
  scratch.push({ url, client });
  return { url, client };
}

/** The benchmark databases this process left on the test server (they should be none). */
export async function leftoverBenchDatabases(): Promise<string[]> {
  const admin = await connect(serverUrl());
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `sl_bench_${process.pid}_%`,
    ]);
    return rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}

/** Closes and drops every database {@link scratchDatabase} made. */
export async function dropScratchDatabases(): Promise<void> {
  const made = scratch.splice(0);
  await Promise.all(made.map(({ client }) => client.end().catch(() => {})));
  await Promise.all(made.map(({ url }) => dropScratchDatabase(url)));
}

/** Closes this test file's connections. */
export async function closeConnections(): Promise<void> {
  await Promise.all([workerPool?.end(), workerPrisma?.$disconnect()]);
  workerPool = undefined;
  workerPrisma = undefined;
}
