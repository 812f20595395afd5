import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect } from '../../src/db/connect.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { createScratchDatabase, dropScratchDatabase } from '../harness/db.ts';

const migrations = readMigrations(MIGRATIONS_DIR);

/** What a migration can leave behind, outside PostgreSQL's own schemas. */
async function catalogSnapshot(client: pg.Client) {
  const { rows } = await client.query<{ kind: string; name: string }>(`
    SELECT 'schema' AS kind, nspname AS name FROM pg_namespace
     WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
    UNION ALL SELECT 'extension', extname FROM pg_extension
    UNION ALL SELECT 'relation', c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    UNION ALL SELECT 'function', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    UNION ALL SELECT 'type', t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    ORDER BY 1, 2`);
  return rows;
}

/** Runs a validate.sql the way `verify` will: inside a transaction that is always rolled back. */
async function validate(client: pg.Client, file: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(fs.readFileSync(file, 'utf8'));
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('the migration history of this repository', () => {
  it('names every folder <14-digit UTC timestamp>_<snake_case> and ships down.sql and validate.sql', () => {
    expect(migrations.length).toBeGreaterThan(0);
    for (const migration of migrations) {
      expect(migration.name).toMatch(/^\d{14}_[a-z0-9]+(_[a-z0-9]+)*$/);
      expect({ name: migration.name, down: migration.downPath !== undefined, validate: migration.validatePath !== undefined }).toEqual({
        name: migration.name,
        down: true,
        validate: true,
      });
    }
  });

  describe('applied one by one on an empty database', () => {
    let url: string;
    let client: pg.Client;
    let empty: Awaited<ReturnType<typeof catalogSnapshot>>;

    beforeAll(async () => {
      url = await createScratchDatabase();
      client = await connect(url);
      empty = await catalogSnapshot(client);
    });

    afterAll(async () => {
      await client.end();
      await dropScratchDatabase(url);
    });

    it.each(migrations.map((migration) => [migration.name, migration] as const))(
      '%s: validates after up, fails validation after down, and applies again',
      async (_name, migration) => {
        await client.query(migration.script);
        await validate(client, migration.validatePath!);

        await client.query(fs.readFileSync(migration.downPath!, 'utf8'));
        await expect(validate(client, migration.validatePath!)).rejects.toMatchObject({ code: 'P0001' });

        await client.query(migration.script);
        await validate(client, migration.validatePath!);
      },
    );

    it('rolls back, newest first, to exactly the empty database', async () => {
      for (const migration of [...migrations].reverse()) {
        await client.query(fs.readFileSync(migration.downPath!, 'utf8'));
      }
      expect(await catalogSnapshot(client)).toEqual(empty);
    });
  });
});
