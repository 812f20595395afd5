/**
 * Database helpers for test files. Each Jest worker has its own database, cloned from the
 * migrated template before its first test file (after-env.ts); connections are opened lazily and
 * closed after each test file.
 *
 * Tests run as an application does: logged in as `supply_ledger_app`, working for the test client
 * A ({@link pool}, {@link withRollback}, {@link prisma}), under row-level security. The template
 * holds a second client, B, whose rows A must never see. {@link adminPool} and
 * {@link withAdminRollback} are the superuser's, for what only an operator may do (DDL, refreshing
 * the materialized views, reading every client's rows).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connect, createPool, databaseName, quoteIdent, urlForDatabase, urlForRole } from '../../src/db/connect.ts';
import { type ClientPrismaClient, type PrismaClient, createPrismaClient, forClient } from '../../src/db/prisma.ts';
import { type ClientPool, type ClientTransaction, createClientPool, withClient } from '../../src/db/tenancy.ts';
import { grantDatabaseAccess } from './database-grants.ts';
import { TEST_ENV } from './run.ts';
import { TEST_CLIENTS, type TestClient, testDatabaseName } from './template.ts';

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
    if (rowCount === 0) await cloneTemplate(admin, name);
  } finally {
    await admin.end();
  }
}

/** A clone of the template, with the database-level grants a clone does not inherit (database-grants.ts). */
async function cloneTemplate(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateName())}`);
  const clone = await connect(urlForDatabase(serverUrl(), name), 'supply-ledger tests');
  try {
    await grantDatabaseAccess(clone);
  } finally {
    await clone.end();
  }
}

/** The application role tests log in as. */
export const APP_ROLE = 'supply_ledger_app';

/** This worker's database, logged in as `role`. */
export function workerUrlAs(role: string): string {
  return urlForRole(workerDatabaseUrl(), role);
}

const clientPools = new Map<TestClient, ClientPool>();
let workerAdminPool: pg.Pool | undefined;
let workerPrisma: PrismaClient | undefined;
/** Set by {@link closeConnections}: a pool opened after it (by a test file's own afterAll) would outlive the file. */
let connectionsClosed = false;

function refuseAfterClose(): void {
  if (connectionsClosed) throw new Error("this test file's connections are closed (after-env.ts): a hook that runs after them opens none");
}

/** A pool logged in as the application role, every connection working for `client` (A unless told). */
export function pool(client: TestClient = TEST_CLIENTS.A): ClientPool {
  refuseAfterClose();
  let clientPool = clientPools.get(client);
  if (clientPool === undefined) {
    clientPool = createClientPool(workerUrlAs(APP_ROLE), client.id, { applicationName: `supply-ledger tests ${client.code}`, max: 10 });
    clientPools.set(client, clientPool);
  }
  return clientPool;
}

/** A superuser's pool on this worker's database: no client set, row-level security bypassed. */
export function adminPool(): pg.Pool {
  refuseAfterClose();
  workerAdminPool ??= createPool(workerDatabaseUrl(), { applicationName: 'supply-ledger tests admin', max: 5 });
  return workerAdminPool;
}

/** A Prisma client logged in as the application role, working for the test client A. */
export function prisma(): ClientPrismaClient {
  refuseAfterClose();
  workerPrisma ??= createPrismaClient(workerUrlAs(APP_ROLE));
  return forClient(workerPrisma, TEST_CLIENTS.A.id);
}

/**
 * Runs `fn` in a transaction that is always rolled back, as the application role working for
 * `client` (A unless told), so SQL-behaviour tests (triggers, constraints, functions) leave the
 * worker's database as they found it, whether they pass or not.
 */
export function withRollback<T>(fn: (tx: ClientTransaction) => Promise<T>, client: TestClient = TEST_CLIENTS.A): Promise<T> {
  return withClient(pool(client), client.id, fn, { rollback: true });
}

/**
 * {@link withRollback} as the superuser (client A set, for the columns' defaults; row-level
 * security bypassed): for what the application role may not do, such as DDL or breaking a
 * constraint on purpose to see what catches it.
 */
export function withAdminRollback<T>(fn: (tx: ClientTransaction) => Promise<T>): Promise<T> {
  return withClient(adminPool(), TEST_CLIENTS.A.id, fn, { rollback: true });
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
  const url = urlForDatabase(serverUrl(), name);
  if (options.template !== undefined) {
    const clone = await connect(url, 'supply-ledger tests');
    try {
      // A clone of a migrated database needs the database-level grants create_roles gave the original.
      const { rows } = await clone.query<{ roles: boolean }>("SELECT to_regrole('supply_ledger_owner') IS NOT NULL AS roles");
      if (rows[0]?.roles === true) await grantDatabaseAccess(clone);
    } finally {
      await clone.end();
    }
  }
  return url;
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
  connectionsClosed = true;
  const pools = [...clientPools.values(), workerAdminPool];
  clientPools.clear();
  workerAdminPool = undefined;
  const prismaClient = workerPrisma;
  workerPrisma = undefined;
  await Promise.all([...pools.map((open) => open?.end()), prismaClient?.$disconnect()]);
}
