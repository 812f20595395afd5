/**
 * The migrated template database the test databases are cloned from (the IntegreSQL pattern):
 * built once per content hash of the migrations and the runner, reused by later runs on the
 * same server, and cloned per Jest worker with CREATE DATABASE ... TEMPLATE (tests/harness/db.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { connect, quoteIdent, urlForDatabase } from '../../src/db/connect.ts';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { isAlive } from '../../src/db/embedded-layout.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';

const TEMPLATE_PREFIX = 'sl_template_';
const TEST_DB_PREFIX = 'sl_test_';
/** Templates kept per server: the current one and a few others, for runs of other branches in flight. */
const TEMPLATES_KEPT = 3;
/** Serialises template builds of concurrent test runs on one server (any constant; per database). */
const TEMPLATE_LOCK_KEY = 0x51_1ed9e5;

/** A client every test database has. */
export interface TestClient {
  id: string;
  code: string;
}

/**
 * The two clients of every test database, made in the template: tests work for A, and B's rows
 * (the same codes and SKUs, when a test makes them) must stay out of A's sight. Fixed ids, so that
 * a pool can be made for one without asking the database; the sequence continues after them.
 */
export const TEST_CLIENTS = {
  A: { id: '1001', code: 'TEST-A' },
  B: { id: '1002', code: 'TEST-B' },
} as const satisfies Record<string, TestClient>;

/** What decides the template's content: the migrations folder, the runner that applies it, and this file (the clients). */
export function templateHash(): string {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(import.meta.filename));
  for (const root of [MIGRATIONS_DIR, path.join(PROJECT_ROOT, 'src', 'migrate')]) {
    for (const file of listFiles(root)) {
      hash.update(path.relative(PROJECT_ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Makes sure the template for the current migrations exists on the server of `serverUrl` and
 * returns its name. A template is built under a scratch name and renamed when complete, so a
 * killed build is never mistaken for a finished one.
 */
export async function ensureTemplate(serverUrl: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${templateHash()}`;
  const admin = await connect(serverUrl, 'supply-ledger tests');
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    if (!(await databaseExists(admin, name))) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      const client = await connect(urlForDatabase(serverUrl, building), 'supply-ledger tests');
      try {
        await deploy(client, { migrationsDir: MIGRATIONS_DIR });
        for (const { id, code } of Object.values(TEST_CLIENTS)) {
          await client.query('INSERT INTO core.client (id, code, name) VALUES ($1, $2, $3)', [id, code, `Test client ${code}`]);
        }
        await client.query("SELECT setval(pg_get_serial_sequence('core.client', 'id'), (SELECT max(id) FROM core.client))");
      } finally {
        await client.end();
      }
      await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
      // Nobody may connect to a template: one open session makes every clone fail.
      await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    }
    await dropOldTemplates(admin, name);
    await dropAbandonedTestDatabases(admin);
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => {});
    await admin.end();
  }
  return name;
}

/**
 * Name of a database of the test run whose Jest main process is `runPid`: `w<N>` for worker N's
 * clone, anything else for a test's scratch database. The teardown drops them all by prefix.
 */
export function testDatabaseName(runPid: number, label: string): string {
  return `${TEST_DB_PREFIX}${runPid}_${label}`;
}

/** Drops every database of the test run `runPid` (worker clones and scratch databases alike). */
export async function dropRunDatabases(serverUrl: string, runPid: number): Promise<void> {
  const admin = await connect(serverUrl, 'supply-ledger tests');
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      testDatabaseName(runPid, ''),
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

async function dropOldTemplates(admin: pg.Client, current: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE starts_with(datname, $1) AND datname <> $2 AND datname NOT LIKE '%\\_building'
      ORDER BY oid DESC OFFSET $3`,
    [TEMPLATE_PREFIX, current, TEMPLATES_KEPT - 1],
  );
  for (const { datname } of rows) {
    // A template another run is cloning right now refuses to go; it goes next time.
    await admin
      .query(`ALTER DATABASE ${quoteIdent(datname)} WITH IS_TEMPLATE false`)
      .then(() => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`))
      .catch(() => {});
  }
}

/** Test databases of runs whose process is gone (killed runs never reach their teardown). */
async function dropAbandonedTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
    TEST_DB_PREFIX,
  ]);
  for (const { datname } of rows) {
    const pid = Number(/^sl_test_(\d+)_/.exec(datname)?.[1]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    // Without FORCE: a database somebody still uses (a run on another machine) is left alone.
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`).catch(() => {});
  }
}
