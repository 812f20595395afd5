import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect } from '../../src/db/connect.ts';
import { LockTimeoutError } from '../../src/migrate/errors.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

/** Another session takes ACCESS EXCLUSIVE on `table` and keeps it until released. */
async function holdLock(url: string, table: string): Promise<{ release: () => Promise<void> }> {
  const holder: pg.Client = await connect(url);
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await holder.query('COMMIT');
    await holder.end();
  };
  return { release };
}

async function columns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query('SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum', [
    table,
  ]);
  return rows.map((row) => row.attname);
}

const fastRetries = { lockTimeoutMs: 100, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } };

describe('lock_timeout and retries', () => {
  it('retries a migration blocked by an ACCESS EXCLUSIVE lock until it is released, and succeeds (default 2 s lock_timeout)', async () => {
    const { client, url } = await scratchDatabase();
    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_table': 'CREATE TABLE a (id int);' }) });
    const dir = migrationsFolder({
      '20260101000000_table': 'CREATE TABLE a (id int);',
      '20260102000000_alter': 'ALTER TABLE a ADD COLUMN note text;',
    });
    // Released when the runner announces its first retry (not after a time: on a loaded machine a
    // timer can outlast the retries), so the first attempt times out and a later one gets the lock.
    const lock = await holdLock(url, 'a');
    const events: RunnerEvent[] = [];
    let released: Promise<void> | undefined;

    const result = await deploy(
      client,
      { migrationsDir: dir },
      {
        emit: (event) => {
          events.push(event);
          if (event.event === 'retry') released ??= lock.release();
        },
      },
    );
    // The holder's COMMIT let the retry through; its disconnect is awaited too, not left running.
    await released;

    expect(result.applied).toEqual(['20260102000000_alter']);
    const retries = events.filter((event) => event.event === 'retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toMatchObject({ name: '20260102000000_alter', attempt: 2, code: '55P03' });
    expect(await columns(client, 'a')).toEqual(['id', 'note']);
  });

  it('fails cleanly when the lock never comes: nothing applied, nothing recorded, and the next deploy just works', async () => {
    const { client, url } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_table': 'CREATE TABLE a (id int);',
      '20260102000000_alter': 'ALTER TABLE a ADD COLUMN note text;\nCREATE TABLE b (id int);',
    });
    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_table': 'CREATE TABLE a (id int);' }) });
    const lock = await holdLock(url, 'a');
    const events: RunnerEvent[] = [];

    const failing = deploy(client, { migrationsDir: dir }, { settings: fastRetries, emit: (event) => events.push(event) });

    await expect(failing).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(failing).rejects.toMatchObject({
      migration: '20260102000000_alter',
      file: 'migration.sql',
      attempts: 3,
      failure: { sqlState: '55P03' },
      statementIndex: undefined,
    });
    expect(events.filter((event) => event.event === 'retry')).toHaveLength(2);
    expect(await columns(client, 'a')).toEqual(['id']);
    expect((await client.query("SELECT to_regclass('b') AS b")).rows[0].b).toBeNull();
    expect((await client.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBe(1);

    await lock.release();
    expect((await deploy(client, { migrationsDir: dir })).applied).toEqual(['20260102000000_alter']);
  });

  it('leaves a no-transaction migration that ran out of attempts resumable at the blocked statement', async () => {
    const { client, url } = await scratchDatabase();
    const dir = migrationsFolder({
      '20260101000000_table': 'CREATE TABLE a (id int);',
      '20260102000000_steps': '-- supply-ledger: no-transaction\nCREATE TABLE b (id int);\nALTER TABLE a ADD COLUMN note text;\n',
    });
    await deploy(client, { migrationsDir: migrationsFolder({ '20260101000000_table': 'CREATE TABLE a (id int);' }) });
    const lock = await holdLock(url, 'a');
    await expect(deploy(client, { migrationsDir: dir }, { settings: fastRetries })).rejects.toMatchObject({
      name: 'LockTimeoutError',
      migration: '20260102000000_steps',
      statementIndex: 1,
    });
    await lock.release();
    const events: RunnerEvent[] = [];
    await deploy(client, { migrationsDir: dir }, { emit: (event) => events.push(event) });
    expect(events).toContainEqual(expect.objectContaining({ event: 'migration-start', resumeAt: 1 }));
    expect(await columns(client, 'a')).toEqual(['id', 'note']);
  });
});
