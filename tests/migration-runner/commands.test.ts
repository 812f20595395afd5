import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { deploy } from '../../src/migrate/deploy.ts';
import { planDeploy } from '../../src/migrate/plan.ts';
import { resolveApplied, resolveRolledBack } from '../../src/migrate/resolve.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { migrationStatus } from '../../src/migrate/status.ts';
import { verify } from '../../src/migrate/verify.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

async function rows(client: pg.Client) {
  const result = await client.query(
    'SELECT migration_name, logs, applied_steps_count, finished_at, rolled_back_at, started_at FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
  return result.rows;
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  return (await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0].found;
}

const three = () =>
  migrationsFolder({
    '20260101000000_a': { up: 'CREATE TABLE a (id int);', down: 'DROP TABLE a;', validate: "DO $$ BEGIN PERFORM 'a'::regclass; END $$;" },
    '20260102000000_b': { up: 'CREATE TABLE b (id int);', down: 'DROP TABLE b;', validate: "DO $$ BEGIN PERFORM 'b'::regclass; END $$;" },
    '20260103000000_c': { up: 'CREATE TABLE c (id int);', down: 'DROP TABLE c;' },
  });

describe('status', () => {
  it('reports applied, pending, failed, rolled back, edited and missing migrations, and whether the database is up to date', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    expect(await migrationStatus(client, { migrationsDir: dir })).toMatchObject({ historyExists: false, upToDate: false });

    await deploy(client, { migrationsDir: dir });
    expect(await migrationStatus(client, { migrationsDir: dir })).toMatchObject({ historyExists: true, upToDate: true });

    fs.writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), 'CREATE TABLE a (id bigint);');
    await rollback(client, { migrationsDir: dir });
    for (const name of ['20260104000000_d', '20260105000000_e']) {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), 'SELECT 1;');
    }
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES (gen_random_uuid(), 'x', '20260104000000_d', $1)`,
      ['Migration name: 20260104000000_d\n\nDatabase error code: 42P01\n\nDatabase error:\nrelation "missing" does not exist\n'],
    );
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES (gen_random_uuid(), 'x', '20251231000000_gone', now(), 1)`,
    );

    const status = await migrationStatus(client, { migrationsDir: dir });

    expect(status.upToDate).toBe(false);
    expect(
      status.migrations.map(({ name, state, edited, error }) => ({
        name,
        state,
        ...(edited ? { edited } : {}),
        ...(error ? { error } : {}),
      })),
    ).toEqual([
      { name: '20260101000000_a', state: 'applied', edited: true },
      { name: '20260102000000_b', state: 'applied' },
      { name: '20260103000000_c', state: 'rolled back' },
      { name: '20260104000000_d', state: 'failed', error: 'relation "missing" does not exist' },
      { name: '20260105000000_e', state: 'pending' },
      { name: '20251231000000_gone', state: 'missing locally' },
    ]);
  });

  it('calls an edited migration up to date, as Prisma does', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });
    fs.appendFileSync(path.join(dir, '20260102000000_b', 'migration.sql'), '\n-- a comment added later\n');
    expect(await migrationStatus(client, { migrationsDir: dir })).toMatchObject({ upToDate: true });
  });
});

describe('resolve', () => {
  it('--applied baselines a migration as Prisma does: one row, started = finished, empty logs, no steps', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    await resolveApplied(client, { migrationsDir: dir }, '20260101000000_a');
    const [row] = await rows(client);
    expect(row).toMatchObject({ migration_name: '20260101000000_a', logs: '', applied_steps_count: 0, rolled_back_at: null });
    expect(row.finished_at).toEqual(row.started_at);
    expect((await deploy(client, { migrationsDir: dir })).applied).toEqual(['20260102000000_b', '20260103000000_c']);
    expect(await tableExists(client, 'a')).toBe(false);
  });

  it('--applied retires the failed attempt of a migration completed by hand', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': 'CREATE TABLE a (id int);\nINSERT INTO missing VALUES (1);' });
    await expect(deploy(client, { migrationsDir: dir })).rejects.toThrow();
    await resolveApplied(client, { migrationsDir: dir }, '20260101000000_a');
    const recorded = await rows(client);
    expect(recorded).toHaveLength(2);
    expect(recorded[0].rolled_back_at).not.toBeNull();
    expect(recorded[1]).toMatchObject({ logs: '', rolled_back_at: null });
    expect(await migrationStatus(client, { migrationsDir: dir })).toMatchObject({ upToDate: true });
  });

  it.each([
    ['--applied of a migration not in the folder', resolveApplied, '20990101000000_nope', 'unknown-migration'],
    ['--applied of an applied migration', resolveApplied, '20260101000000_a', 'already-applied'],
    ['--rolled-back of a migration that never ran', resolveRolledBack, '20990101000000_nope', 'not-failed'],
    ['--rolled-back of a migration that succeeded', resolveRolledBack, '20260101000000_a', 'not-failed'],
  ] as const)('refuses %s, as Prisma does', async (_what, resolve, migration, reason) => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });
    await expect(resolve(client, { migrationsDir: dir }, migration)).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason,
      migrations: [migration],
    });
  });

  it('--rolled-back lets deploy try a failed migration again once it is fixed', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': 'INSERT INTO missing VALUES (1);' });
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationFailedError',
      migration: '20260101000000_a',
    });
    await resolveRolledBack(client, { migrationsDir: dir }, '20260101000000_a');
    fs.writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), 'CREATE TABLE a (id int);');
    expect((await deploy(client, { migrationsDir: dir })).applied).toEqual(['20260101000000_a']);
  });
});

describe('rollback', () => {
  it('runs down.sql of the latest migrations newest first, marks them rolled back, and deploy applies them again', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });

    expect(await rollback(client, { migrationsDir: dir }, { steps: 2 })).toEqual({ rolledBack: ['20260103000000_c', '20260102000000_b'] });

    expect(await tableExists(client, 'a')).toBe(true);
    expect(await tableExists(client, 'b')).toBe(false);
    expect((await rows(client)).filter((row) => row.rolled_back_at !== null).map((row) => row.migration_name)).toEqual([
      '20260102000000_b',
      '20260103000000_c',
    ]);
    expect((await deploy(client, { migrationsDir: dir })).applied).toEqual(['20260102000000_b', '20260103000000_c']);
  });

  it('--to NAME rolls back everything applied after NAME', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });
    expect(await rollback(client, { migrationsDir: dir }, { to: '20260101000000_a' })).toEqual({
      rolledBack: ['20260103000000_c', '20260102000000_b'],
    });
  });

  it('stops before anything runs when a migration to roll back has no down.sql', async () => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });
    fs.rmSync(path.join(dir, '20260102000000_b', 'down.sql'));
    await expect(rollback(client, { migrationsDir: dir }, { steps: 2 })).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason: 'no-down-script',
      migrations: ['20260102000000_b'],
    });
    expect(await tableExists(client, 'c')).toBe(true);
  });

  it.each([
    [{ steps: 4 }, { name: 'MigrationStateError', reason: 'nothing-to-roll-back' }],
    [{ to: '20260103000000_c' }, { name: 'MigrationStateError', reason: 'nothing-to-roll-back', migrations: ['20260103000000_c'] }],
    [{ to: '20990101000000_x' }, { name: 'MigrationStateError', reason: 'unknown-migration', migrations: ['20990101000000_x'] }],
    [
      { steps: 1, to: '20260101000000_a' },
      { name: 'InvalidArgumentError', argument: 'steps' },
    ],
    [{ steps: 0 }, { name: 'InvalidArgumentError', argument: 'steps', value: 0 }],
  ])('refuses %j', async (options, expected) => {
    const { client } = await scratchDatabase();
    const dir = three();
    await deploy(client, { migrationsDir: dir });
    await expect(rollback(client, { migrationsDir: dir }, { ...options })).rejects.toMatchObject(expected);
  });

  it('undoes a down.sql that fails midway and leaves the migration applied', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': { up: 'CREATE TABLE a (id int);', down: 'DROP TABLE a;\nDROP TABLE missing;' } });
    await deploy(client, { migrationsDir: dir });
    await expect(rollback(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationFailedError',
      migration: '20260101000000_a',
      file: 'down.sql',
      failure: { sqlState: '42P01' },
    });
    expect(await tableExists(client, 'a')).toBe(true);
    expect(await migrationStatus(client, { migrationsDir: dir })).toMatchObject({ upToDate: true });
  });
});

describe('verify', () => {
  it('runs validate.sql of applied migrations in rolled-back transactions and reports each', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_a': {
        up: 'CREATE TABLE a (id int);',
        // Probes with a write: the transaction is rolled back, so the row never stays.
        validate: 'INSERT INTO a VALUES (1);',
      },
      '20260102000000_b': {
        up: 'CREATE TABLE b (n int);',
        validate: "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM b) THEN RAISE EXCEPTION 'b: expected at least one row'; END IF; END $$;",
      },
      '20260103000000_c': 'SELECT 1;',
    });
    await deploy(client, { migrationsDir: dir });

    expect(await verify(client, { migrationsDir: dir })).toEqual([
      { name: '20260101000000_a', result: 'passed' },
      { name: '20260102000000_b', result: 'failed', message: 'b: expected at least one row, SQLSTATE P0001' },
      { name: '20260103000000_c', result: 'no validate.sql' },
    ]);
    expect((await client.query('SELECT count(*)::int AS n FROM a')).rows[0].n).toBe(0);
    expect(await verify(client, { migrationsDir: dir }, { name: '20260101000000_a' })).toEqual([
      { name: '20260101000000_a', result: 'passed' },
    ]);
    await expect(verify(client, { migrationsDir: dir }, { name: '20990101000000_x' })).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason: 'unknown-migration',
      migrations: ['20990101000000_x'],
    });
  });
});

describe('deploy --dry-run', () => {
  it('lists pending statements with their locks and the current size of the tables, and changes nothing', async () => {
    const { client } = await scratchDatabase();
    const first = {
      '20260101000000_table':
        'CREATE TABLE a (id int PRIMARY KEY, note text);\nINSERT INTO a SELECT g, md5(g::text) FROM generate_series(1, 5000) g;',
    };
    await deploy(client, { migrationsDir: migrationsFolder(first) });
    await client.query('ANALYZE a');
    const dir = migrationsFolder({
      ...first,
      '20260102000000_change':
        'ALTER TABLE a ADD COLUMN b int;\nCREATE INDEX a_note_idx ON a (note);\nCREATE TABLE c (a_id int REFERENCES a (id));',
      '20260103000000_index': 'CREATE INDEX CONCURRENTLY a_b_idx ON a (b);',
    });
    const before = await rows(client);

    const plan = await planDeploy(client, { migrationsDir: dir });

    expect(plan.pending.map((m) => [m.name, m.mode])).toEqual([
      ['20260102000000_change', 'transaction'],
      ['20260103000000_index', 'statements'],
    ]);
    const [alter, index, create] = plan.pending[0]!.statements;
    expect(alter).toMatchObject({
      line: 1,
      locks: [{ relation: 'a', mode: 'ACCESS EXCLUSIVE', size: { exists: true, rows: 5000, estimated: true } }],
    });
    expect(alter!.locks[0]!.size.bytes).toBeGreaterThan(100_000);
    expect(index).toMatchObject({ line: 2, locks: [{ relation: 'a', mode: 'SHARE' }], notes: ['blocks writes while the index builds'] });
    expect(create!.locks.map((lock) => [lock.relation, lock.mode, lock.size.exists])).toEqual([
      ['c', 'ACCESS EXCLUSIVE', false],
      ['a', 'SHARE ROW EXCLUSIVE', true],
    ]);
    expect(plan.pending[1]!.statements[0]!.locks[0]!.mode).toBe('SHARE UPDATE EXCLUSIVE');
    expect(await rows(client)).toEqual(before);
    expect(await tableExists(client, 'c')).toBe(false);
  });

  it('refuses as deploy would, without creating the history table', async () => {
    const { client } = await scratchDatabase();
    await client.query('CREATE TABLE existing (id int)');
    await expect(planDeploy(client, { migrationsDir: three() })).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason: 'database-not-empty',
    });
    expect(await tableExists(client, '_prisma_migrations')).toBe(false);
  });
});
