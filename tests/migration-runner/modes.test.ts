import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { scriptChecksum } from '../../src/migrate/checksum.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { MigrationFailedError, MigrationScriptError, MigrationStateError, MigrationValidationError } from '../../src/migrate/errors.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { executionMode } from '../../src/migrate/mode.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

async function historyRows(client: pg.Client) {
  return (
    await client.query(
      'SELECT migration_name, applied_steps_count, finished_at IS NOT NULL AS finished, logs FROM _prisma_migrations ORDER BY started_at, migration_name',
    )
  ).rows;
}

async function exists(client: pg.Client, relation: string): Promise<boolean> {
  return (await client.query('SELECT to_regclass($1) IS NOT NULL AS found', [relation])).rows[0].found;
}

const NO_TX = '-- supply-ledger: no-transaction\n';

describe('how a migration file runs', () => {
  it('refuses, naming the line, a statement PostgreSQL cannot run in a transaction inside a multi-statement file, before anything runs', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_first': 'CREATE TABLE a (id int);',
      '20260102000000_mixed': 'CREATE TABLE b (id int);\n\nCREATE INDEX CONCURRENTLY b_id_idx ON b (id);\n',
    });
    const deploying = deploy(client, { migrationsDir: dir });
    await expect(deploying).rejects.toBeInstanceOf(MigrationScriptError);
    await expect(deploying).rejects.toMatchObject({
      migration: '20260102000000_mixed',
      file: 'migration.sql',
      line: 3,
      reason: expect.stringMatching(/^CREATE INDEX CONCURRENTLY cannot run inside a transaction/),
    });
    expect(await exists(client, 'a')).toBe(false);
    expect(await historyRows(client)).toEqual([]);
  });

  it('refuses transaction control inside a migration, naming the line', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_tx': 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n' });
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationScriptError',
      migration: '20260101000000_tx',
      line: 1,
      reason: expect.stringMatching(/^BEGIN controls the transaction/),
    });
  });

  it('names transaction control as written (END is COMMIT, ABORT is ROLLBACK) and allows savepoints', async () => {
    const downScript = (text: string) => executionMode({ migration: 'x', file: 'down.sql', text }, 180000);
    await expect(downScript('SELECT 1;\nEND;')).rejects.toMatchObject({
      file: 'down.sql',
      line: 2,
      reason: expect.stringMatching(/^END controls/),
    });
    await expect(downScript('abort')).rejects.toMatchObject({
      file: 'down.sql',
      line: 1,
      reason: expect.stringMatching(/^ABORT controls/),
    });
    const savepoints = downScript('SAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nRELEASE s;');
    await expect(savepoints).resolves.toMatchObject({ kind: 'transaction' });
  });

  it('refuses an unterminated string before sending anything', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_open': "CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'oops;\n" });
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationScriptError',
      migration: '20260101000000_open',
      line: 2,
      reason: `unterminated quoted string at or near "'oops;..."`,
    });
  });

  it("refuses SQL PostgreSQL's parser rejects, naming the file and line, before the first migration runs", async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_first': 'CREATE TABLE a (id int);',
      '20260102000000_typo': "-- Adds b.\nCREATE TABLE b (id int);\n\nALTER TABLE b ADD COLUMN note text DEFALT 'é';\n",
    });
    const deploying = deploy(client, { migrationsDir: dir });
    await expect(deploying).rejects.toBeInstanceOf(MigrationScriptError);
    await expect(deploying).rejects.toMatchObject({
      migration: '20260102000000_typo',
      file: 'migration.sql',
      line: 4,
      reason: 'syntax error at or near "DEFALT"',
    });
    expect(await exists(client, 'a')).toBe(false);
    // Deploy creates the history table before it reads the migrations, and writes no row into it.
    expect(await exists(client, '_prisma_migrations')).toBe(true);
    expect(await historyRows(client)).toEqual([]);
  });

  it('runs a file holding only CREATE INDEX CONCURRENTLY outside a transaction, as Prisma does', async () => {
    const { client } = await scratchDatabase();
    const events: RunnerEvent[] = [];
    const dir = migrationsFolder({
      '20260101000000_table': 'CREATE TABLE a (id int);\nINSERT INTO a SELECT generate_series(1, 1000);',
      '20260102000000_index': 'CREATE INDEX CONCURRENTLY a_id_idx ON a (id);',
    });
    await deploy(client, { migrationsDir: dir }, { emit: (event) => events.push(event) });
    const { rows } = await client.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_id_idx'::regclass");
    expect(rows).toEqual([{ indisvalid: true }]);
    expect(events).toContainEqual(expect.objectContaining({ event: 'migration-start', name: '20260102000000_index', mode: 'statements' }));
    expect(await historyRows(client)).toEqual([
      { migration_name: '20260101000000_table', applied_steps_count: 1, finished: true, logs: null },
      { migration_name: '20260102000000_index', applied_steps_count: 1, finished: true, logs: null },
    ]);
  });

  it('runs a no-transaction file statement by statement, recording each step', async () => {
    const { client } = await scratchDatabase();
    const events: RunnerEvent[] = [];
    const dir = migrationsFolder({
      '20260101000000_steps': `${NO_TX}CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);\nVACUUM a;\n`,
    });
    await deploy(client, { migrationsDir: dir }, { emit: (event) => events.push(event) });
    expect(events.filter((event) => event.event === 'statement').map((event) => 'line' in event && event.line)).toEqual([2, 3, 4, 5]);
    expect(await historyRows(client)).toEqual([
      { migration_name: '20260101000000_steps', applied_steps_count: 4, finished: true, logs: null },
    ]);
  });

  it('resumes an interrupted no-transaction file at its first unfinished statement', async () => {
    const { client } = await scratchDatabase();
    const script = `${NO_TX}CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);\nINSERT INTO a VALUES (1);\n`;
    const dir = migrationsFolder({ '20260101000000_steps': script });
    // What a run killed after its first two statements leaves: both done, progress recorded for the first only.
    await deploy(client, { migrationsDir: migrationsFolder({}) }); // creates _prisma_migrations
    await client.query('CREATE TABLE a (id int)');
    await client.query('CREATE INDEX CONCURRENTLY a_id_idx ON a (id)');
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, applied_steps_count) VALUES ($1, $2, '20260101000000_steps', 1)`,
      [randomUUID(), scriptChecksum(script)],
    );
    const events: RunnerEvent[] = [];

    const result = await deploy(client, { migrationsDir: dir }, { emit: (event) => events.push(event) });

    expect(result.applied).toEqual(['20260101000000_steps']);
    expect(events).toContainEqual(expect.objectContaining({ event: 'migration-start', resumeAt: 1 }));
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'statement', index: 1, skipped: 'index public.a_id_idx was already built by an interrupted run' }),
    );
    expect((await client.query('SELECT count(*)::int AS n FROM a')).rows[0].n).toBe(1);
    expect(await historyRows(client)).toEqual([
      { migration_name: '20260101000000_steps', applied_steps_count: 3, finished: true, logs: null },
    ]);
  });

  it('rebuilds an index an interrupted CREATE INDEX CONCURRENTLY left invalid', async () => {
    const { client } = await scratchDatabase();
    const script = `${NO_TX}CREATE TABLE a (id int);\nCREATE UNIQUE INDEX CONCURRENTLY a_id_key ON a (id);\n`;
    await deploy(client, { migrationsDir: migrationsFolder({}) });
    await client.query('CREATE TABLE a (id int)');
    await client.query('INSERT INTO a VALUES (1), (1)');
    // A unique build over duplicates fails and leaves an invalid index behind, as an interrupted build does.
    await expect(client.query('CREATE UNIQUE INDEX CONCURRENTLY a_id_key ON a (id)')).rejects.toMatchObject({ code: '23505' });
    await client.query('DELETE FROM a WHERE ctid = (SELECT min(ctid) FROM a)');
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, applied_steps_count) VALUES ($1, $2, '20260101000000_unique', 1)`,
      [randomUUID(), scriptChecksum(script)],
    );

    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_unique': script }) });

    const { rows } = await client.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_id_key'::regclass");
    expect(rows).toEqual([{ indisvalid: true }]);
  });

  it('records a failing statement of a no-transaction file with its logs, keeping the statements before it', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_steps': `${NO_TX}CREATE TABLE a (id int);\nINSERT INTO missing VALUES (1);\n` });
    const failing = deploy(client, { migrationsDir: dir });
    await expect(failing).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(failing).rejects.toMatchObject({
      migration: '20260101000000_steps',
      file: 'migration.sql',
      statementIndex: 1,
      statement: 'INSERT INTO missing VALUES (1)',
      sqlState: '42P01',
      line: 3,
    });
    expect(await exists(client, 'a')).toBe(true);
    const [row] = await historyRows(client);
    expect(row).toMatchObject({ applied_steps_count: 1, finished: false });
    expect(row.logs).toContain('Statement 2');
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason: 'failed-migration',
      migrations: ['20260101000000_steps'],
    });
  });

  it('does not resume a failed transactional migration: its row blocks deploys until resolved', async () => {
    const { client } = await scratchDatabase();
    const script = 'CREATE TABLE a (id int);';
    await deploy(client, { migrationsDir: migrationsFolder({}) });
    // What an interrupted `prisma migrate deploy` leaves: a started row without logs.
    await client.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ($1, $2, '20260101000000_a')`, [
      randomUUID(),
      scriptChecksum(script),
    ]);
    const blocked = deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_a': script }) });
    await expect(blocked).rejects.toBeInstanceOf(MigrationStateError);
    await expect(blocked).rejects.toMatchObject({ reason: 'failed-migration', migrations: ['20260101000000_a'] });
  });
});

describe('deploy --verify', () => {
  const failingCheck = "DO $$ BEGIN RAISE EXCEPTION 'checks: table b is missing'; END $$;";

  it('undoes a transactional migration whose validate.sql fails, leaving no row', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_ok': { up: 'CREATE TABLE a (id int);', validate: "DO $$ BEGIN PERFORM 'a'::regclass; END $$;" },
      '20260102000000_bad': { up: 'CREATE TABLE c (id int);', validate: failingCheck },
    });
    const events: RunnerEvent[] = [];
    const verifying = deploy(client, { migrationsDir: dir }, { verify: true, emit: (event) => events.push(event) });
    await expect(verifying).rejects.toBeInstanceOf(MigrationValidationError);
    await expect(verifying).rejects.toMatchObject({
      migration: '20260102000000_bad',
      problem: 'checks: table b is missing, SQLSTATE P0001',
      outcome: 'undone',
    });
    expect(await exists(client, 'a')).toBe(true);
    expect(await exists(client, 'c')).toBe(false);
    expect((await historyRows(client)).map((row) => row.migration_name)).toEqual(['20260101000000_ok']);
    expect(events.filter((event) => event.event === 'verify')).toEqual([
      { event: 'verify', name: '20260101000000_ok', result: 'passed' },
      { event: 'verify', name: '20260102000000_bad', result: 'failed', message: 'checks: table b is missing, SQLSTATE P0001' },
    ]);
  });

  it('rolls back a no-transaction migration whose validate.sql fails with its down.sql', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_bad': { up: `${NO_TX}CREATE TABLE c (id int);`, down: 'DROP TABLE c;', validate: failingCheck },
    });
    await expect(deploy(client, { migrationsDir: dir }, { verify: true })).rejects.toMatchObject({
      name: 'MigrationValidationError',
      migration: '20260101000000_bad',
      outcome: 'rolled back',
    });
    expect(await exists(client, 'c')).toBe(false);
    const { rows } = await client.query('SELECT rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations');
    expect(rows).toEqual([{ rolled_back: true }]);
  });
});
