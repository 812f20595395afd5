import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect } from '../../src/db/connect.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { createScratchDatabase, dropScratchDatabase } from '../harness/db.ts';
import { catalogFingerprint } from '../harness/fingerprint.ts';

const migrations = readMigrations(MIGRATIONS_DIR);

/**
 * Sample rows for a migration's tables: tests/migration-history/data/<name>.sql, loaded (idempotently)
 * right after the migration and again after its rollback and re-apply, so that every down.sql runs
 * on a database holding data and the later migrations meet that data.
 */
function sampleData(name: string): string | undefined {
  const file = path.join(import.meta.dirname, 'data', `${name}.sql`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
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
    let empty: string[];

    beforeAll(async () => {
      url = await createScratchDatabase();
      client = await connect(url);
      empty = await catalogFingerprint(client);
    });

    afterAll(async () => {
      await client.end();
      await dropScratchDatabase(url);
    });

    it.each(migrations.map((migration) => [migration.name, migration] as const))(
      '%s: validates after up, fails validation after down, and applies again to the same schema',
      async (_name, migration) => {
        const data = sampleData(migration.name);
        const up = async () => {
          await client.query(migration.script);
          if (data !== undefined) await client.query(data);
          await validate(client, migration.validatePath!);
        };
        await up();
        const afterUp = await catalogFingerprint(client);

        await client.query(fs.readFileSync(migration.downPath!, 'utf8'));
        await expect(validate(client, migration.validatePath!)).rejects.toMatchObject({ code: 'P0001' });

        await up();
        expect(await catalogFingerprint(client)).toEqual(afterUp);
      },
    );

    it('rolls back, newest first, keeping the sample data in backup tables, to exactly the empty database', async () => {
      for (const migration of [...migrations].reverse()) {
        if (migration.name.endsWith('_add_backup_schema')) {
          // What an operator does once the kept data is restored or no longer needed.
          const { rows } = await client.query(
            "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'backup'",
          );
          expect(rows.length > 0).toBe(migrations.some((m) => sampleData(m.name) !== undefined));
          for (const { name } of rows) await client.query(`DROP TABLE ${name}`);
        }
        await client.query(fs.readFileSync(migration.downPath!, 'utf8'));
      }
      expect(await catalogFingerprint(client)).toEqual(empty);
    });
  });
});

describe('the runner on the migration history of this repository', () => {
  it('deploys, verifies, rolls everything back to an empty database, and deploys the same schema again', async () => {
    const url = await createScratchDatabase();
    const client = await connect(url);
    try {
      const empty = await catalogFingerprint(client);
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const deployed = await catalogFingerprint(client);
      expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);

      const { rolledBack } = await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { steps: migrations.length });
      expect(rolledBack).toEqual(migrations.map((migration) => migration.name).reverse());
      expect(await catalogFingerprint(client)).toEqual(empty);

      expect((await deploy(client, { migrationsDir: MIGRATIONS_DIR })).applied).toHaveLength(migrations.length);
      expect(await catalogFingerprint(client)).toEqual(deployed);
    } finally {
      await client.end();
      await dropScratchDatabase(url);
    }
  });
});
