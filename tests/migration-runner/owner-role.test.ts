/**
 * Migrations run as the owner role (RunnerSettings.ownerRole, supply_ledger_owner by default) once
 * the database has one the session user may become and that may create in it, and as the session
 * user before; the `_prisma_migrations` rows are always written as the session user. A role of
 * this test run's own stands in for supply_ledger_owner, so that the test owns what it grants.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect, quoteIdent } from '../../src/db/connect.ts';
import { migrationRole } from '../../src/migrate/apply.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { createScratchDatabase, dropScratchDatabase, serverUrl } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

const OWNER = `sl_test_owner_${process.pid}`;
const settings = { ownerRole: OWNER };
/** validate.sql that passes only when it runs as the owner role. */
const AS_OWNER = `DO $$ BEGIN IF current_user <> '${OWNER}' THEN RAISE EXCEPTION 'checked as %', current_user; END IF; END $$;`;

let url: string;
let client: pg.Client;

beforeAll(async () => {
  const admin = await connect(serverUrl());
  try {
    await admin.query(`CREATE ROLE ${quoteIdent(OWNER)} NOLOGIN`);
  } finally {
    await admin.end();
  }
  url = await createScratchDatabase();
  client = await connect(url);
});

afterAll(async () => {
  await client.end();
  await dropScratchDatabase(url);
  const admin = await connect(serverUrl());
  try {
    await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(OWNER)}`);
  } finally {
    await admin.end();
  }
});

/** Who owns `relation`. */
async function owner(relation: string): Promise<string> {
  return (
    await client.query<{ owner: string }>('SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = $1::regclass', [relation])
  ).rows[0]!.owner;
}

describe('the role migrations run as', () => {
  it('is the session user until the owner role may create in the database, then the owner role, for scripts and checks', async () => {
    const events: RunnerEvent[] = [];
    const emit = (event: RunnerEvent) => events.push(event);
    const { rows } = await client.query<{ user: string }>('SELECT session_user AS user');
    const sessionUser = rows[0]!.user;
    const before = migrationsFolder({
      '20260101000000_first': { up: 'CREATE TABLE first (id int);', down: 'DROP TABLE first;' },
    });
    expect(await migrationRole(client, OWNER)).toBeUndefined();
    await deploy(client, { migrationsDir: before }, { settings, emit });
    expect(await owner('first')).toBe(sessionUser);

    // What create_roles does for supply_ledger_owner: CREATE on the database (and here on public, where the tables go).
    await client.query(`GRANT CREATE ON DATABASE ${quoteIdent(url.split('/').pop()!)} TO ${quoteIdent(OWNER)}`);
    await client.query(`GRANT CREATE ON SCHEMA public TO ${quoteIdent(OWNER)}`);
    expect(await migrationRole(client, OWNER)).toBe(OWNER);
    expect(await migrationRole(client, null)).toBeUndefined();

    const dir = migrationsFolder({
      '20260101000000_first': { up: 'CREATE TABLE first (id int);', down: 'DROP TABLE first;' },
      '20260102000000_second': { up: 'CREATE TABLE second (id int);', down: 'DROP TABLE second;', validate: AS_OWNER },
      '20260103000000_index': {
        up: 'CREATE INDEX CONCURRENTLY second_id_idx ON second (id);',
        down: '-- supply-ledger: no-transaction\nDROP INDEX CONCURRENTLY second_id_idx;',
      },
      '20260104000000_statements': {
        up: '-- supply-ledger: no-transaction\nCREATE TABLE third (id int);\nCREATE INDEX CONCURRENTLY third_id_idx ON third (id);\n',
        down: 'DROP TABLE third;',
        validate: AS_OWNER,
      },
    });
    expect((await deploy(client, { migrationsDir: dir }, { settings, emit, verify: true })).applied).toHaveLength(3);
    expect(await owner('second')).toBe(OWNER);
    expect(await owner('third')).toBe(OWNER);
    expect(await owner('_prisma_migrations')).toBe(sessionUser);
    expect(events.flatMap((event) => (event.event === 'migration-start' ? [[event.name, event.role ?? null]] : []))).toEqual([
      ['20260101000000_first', null],
      ['20260102000000_second', OWNER],
      ['20260103000000_index', OWNER],
      ['20260104000000_statements', OWNER],
    ]);
    expect(events.filter((event) => event.event === 'verify').map((event) => event.event === 'verify' && event.result)).toEqual([
      'passed',
      'no validate.sql',
      'passed',
    ]);
    expect((await verify(client, { migrationsDir: dir }, { ownerRole: OWNER })).map((result) => result.result)).toEqual([
      'no validate.sql',
      'passed',
      'no validate.sql',
      'passed',
    ]);
    expect((await verify(client, { migrationsDir: dir }, { ownerRole: null })).filter((result) => result.result === 'failed')).toHaveLength(
      2,
    );
    // The owner role has no privilege on the history: the runner writes it as the session user.
    expect((await client.query(`SELECT has_table_privilege($1, '_prisma_migrations', 'UPDATE') AS may`, [OWNER])).rows).toEqual([
      { may: false },
    ]);

    events.length = 0;
    await rollback(client, { migrationsDir: dir }, { settings, emit, steps: 3 });
    expect(
      events.flatMap((event) => (event.event === 'migration-start' ? [[event.name, event.direction, event.role ?? null]] : [])),
    ).toEqual([
      ['20260104000000_statements', 'down', OWNER],
      ['20260103000000_index', 'down', OWNER],
      ['20260102000000_second', 'down', OWNER],
    ]);
    expect((await client.query(`SELECT to_regclass('second') AS second, to_regclass('third') AS third`)).rows).toEqual([
      { second: null, third: null },
    ]);
  });
});
