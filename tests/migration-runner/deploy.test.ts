import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect } from '../../src/db/connect.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { PRISMA_ADVISORY_LOCK_KEY } from '../../src/migrate/migration-lock.ts';
import { dropScratchDatabases, scratchDatabase } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const opened: pg.Client[] = [];

/** A second session on the database at `url`, as another process would have. */
async function otherSession(url: string): Promise<pg.Client> {
  const other = await connect(url);
  opened.push(other);
  return other;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.end()));
  await dropScratchDatabases();
});

async function rows(client: pg.Client) {
  const result = await client.query(
    'SELECT id, checksum, migration_name, logs, started_at, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
  return result.rows;
}

describe('deploy', () => {
  it("creates _prisma_migrations with Prisma's exact definition", async () => {
    const { client } = await scratchDatabase();
    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_a': 'SELECT 1;' }) });
    const { rows: columns } = await client.query(
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const { rows: keys } = await client.query(
      `SELECT conname, contype FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype <> 'n'`,
    );
    expect(keys).toEqual([{ conname: '_prisma_migrations_pkey', contype: 'p' }]);
  });

  it("applies folders in Prisma's order and records each as Prisma does", async () => {
    const { client } = await scratchDatabase();
    const scripts = {
      '20260102000000_second': 'INSERT INTO trail VALUES (2);',
      '20260101000000_first': 'CREATE TABLE trail (step int);\nINSERT INTO trail VALUES (1);\n',
      '20260103000000_third': 'INSERT INTO trail VALUES (3);',
    };
    const dir = migrationsFolder(scripts);
    const events: RunnerEvent[] = [];

    const result = await deploy(client, { migrationsDir: dir }, { emit: (event) => events.push(event) });

    expect(result).toEqual({ applied: ['20260101000000_first', '20260102000000_second', '20260103000000_third'], total: 3 });
    expect((await client.query('SELECT step FROM trail ORDER BY ctid')).rows.map((row) => row.step)).toEqual([1, 2, 3]);
    expect(events.filter((event) => event.event === 'migration-finish').map((event) => 'name' in event && event.name)).toEqual(
      result.applied,
    );
    const recorded = await rows(client);
    expect(recorded.map((row) => row.migration_name)).toEqual(result.applied);
    for (const row of recorded) {
      expect(row.id).toMatch(UUID_V4);
      expect(row.checksum).toBe(
        createHash('sha256')
          .update(scripts[row.migration_name as keyof typeof scripts])
          .digest('hex'),
      );
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it('does nothing when run again', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': 'CREATE TABLE a (id int);' });
    await deploy(client, { migrationsDir: dir });
    const before = await rows(client);
    const result = await deploy(client, { migrationsDir: dir });
    expect(result).toEqual({ applied: [], total: 1 });
    expect(await rows(client)).toEqual(before);
  });

  it('leaves nothing of a failing multi-statement file, records the failure, and blocks later deploys', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_ok': 'CREATE TABLE kept (id int);',
      '20260102000000_broken': 'CREATE TABLE half (id int);\nINSERT INTO missing VALUES (1);\n',
      '20260103000000_after': 'CREATE TABLE never (id int);',
    });

    const failure = deploy(client, { migrationsDir: dir });
    await expect(failure).rejects.toMatchObject({
      name: 'MigrationFailedError',
      migration: '20260102000000_broken',
      file: 'migration.sql',
      statementIndex: undefined,
      failure: { message: 'relation "missing" does not exist', sqlState: '42P01', line: 2 },
    });

    const { rows: tables } = await client.query(
      "SELECT to_regclass('kept') AS kept, to_regclass('half') AS half, to_regclass('never') AS never",
    );
    expect(tables[0]).toEqual({ kept: 'kept', half: null, never: null });
    const broken = (await rows(client)).find((row) => row.migration_name === '20260102000000_broken');
    expect(broken).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(broken?.logs).toContain('Database error code: 42P01');

    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationStateError',
      reason: 'failed-migration',
      migrations: ['20260102000000_broken'],
    });
  });

  it('retries a migration whose failed attempt was marked rolled back, keeping the old row', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_fix_me': 'INSERT INTO missing VALUES (1);' });
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationFailedError',
      migration: '20260101000000_fix_me',
    });
    // What `prisma migrate resolve --rolled-back` does:
    await client.query('UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL');
    fs.writeFileSync(path.join(dir, '20260101000000_fix_me', 'migration.sql'), 'CREATE TABLE fixed (id int);');

    const result = await deploy(client, { migrationsDir: dir });

    expect(result.applied).toEqual(['20260101000000_fix_me']);
    const recorded = await rows(client);
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(recorded[0].rolled_back_at).not.toBeNull();
    expect(recorded[1]).toMatchObject({ rolled_back_at: null, applied_steps_count: 1 });
  });

  it('waits for the migration lock held by another session (as Prisma holds it), then applies', async () => {
    const { client, url } = await scratchDatabase();
    const other = await otherSession(url);
    await other.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    const events: RunnerEvent[] = [];
    const deploying = deploy(
      client,
      { migrationsDir: migrationsFolder({ '20260101000000_a': 'CREATE TABLE a (id int);' }) },
      { emit: (event) => events.push(event) },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.some((event) => event.event === 'lock-wait')).toBe(true);
    expect(events.some((event) => event.event === 'migration-start')).toBe(false);

    await other.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);

    await expect(deploying).resolves.toMatchObject({ applied: ['20260101000000_a'] });
  });

  it('gives up with a clear message when the lock stays held', async () => {
    const { client, url } = await scratchDatabase();
    const other = await otherSession(url);
    await other.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    const deploying = deploy(
      client,
      { migrationsDir: migrationsFolder({ '20260101000000_a': 'SELECT 1;' }) },
      { settings: { lockWaitMs: 200 } },
    );
    await expect(deploying).rejects.toMatchObject({ name: 'MigrationLockBusyError', lockKey: PRISMA_ADVISORY_LOCK_KEY });
  });

  it('goes on, as Prisma does, when applied migrations are missing from the folder, but warns', async () => {
    const { client } = await scratchDatabase();
    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_a': 'SELECT 1;' }) });
    const events: RunnerEvent[] = [];
    const result = await deploy(
      client,
      { migrationsDir: migrationsFolder({ '20260102000000_b': 'SELECT 2;' }) },
      { emit: (event) => events.push(event) },
    );
    expect(result.applied).toEqual(['20260102000000_b']);
    expect(events[0]).toEqual({
      event: 'warning',
      message: 'applied in the database but not in the migrations folder: 20260101000000_a (another branch, or a deleted folder?)',
    });
  });

  it('refuses migrations written for another provider, before touching the database', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': 'SELECT 1;' }, 'mysql');
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationsFolderError',
      folder: dir,
      migration: undefined,
    });
    expect((await client.query("SELECT to_regclass('_prisma_migrations') AS t")).rows[0].t).toBeNull();
  });

  it('refuses a migration folder without migration.sql, naming it', async () => {
    const { client } = await scratchDatabase();
    const dir = migrationsFolder({ '20260101000000_a': 'SELECT 1;' });
    fs.mkdirSync(path.join(dir, '20260102000000_empty'));
    await expect(deploy(client, { migrationsDir: dir })).rejects.toMatchObject({
      name: 'MigrationsFolderError',
      folder: dir,
      migration: '20260102000000_empty',
    });
  });

  it('refuses an unreadable migrations folder', async () => {
    const { client } = await scratchDatabase();
    await expect(deploy(client, { migrationsDir: '/nonexistent/migrations' })).rejects.toMatchObject({
      name: 'MigrationsFolderError',
      folder: '/nonexistent/migrations',
    });
  });
});
