import { describe, expect, it } from '@jest/globals';
import { databaseName } from '../../src/db/connect.ts';
import { pool, prisma, templateName, withRollback, workerDatabaseUrl } from './db.ts';

describe('test harness', () => {
  it('gives each worker its own database, cloned from the migrated template', async () => {
    expect(databaseName(workerDatabaseUrl())).toMatch(new RegExp(`_w${process.env.JEST_WORKER_ID ?? '1'}$`));
    const { rows } = await pool().query<{ name: string }>(
      'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(rows.map((row) => row.name)).toContain('20261121095025_init');
    expect(templateName()).toMatch(/^sl_template_[0-9a-f]{16}$/);
  });

  it('withRollback undoes everything the callback did, also when it throws', async () => {
    await withRollback(async (client) => {
      await client.query('CREATE TABLE catalog.harness_probe (id int)');
      await client.query('INSERT INTO catalog.harness_probe VALUES (1)');
    });
    const failing = withRollback(async (client) => {
      await client.query('CREATE TABLE catalog.harness_probe (id int)');
      await client.query('SELECT 1/0');
    });
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    const { rows } = await pool().query("SELECT to_regclass('catalog.harness_probe') AS probe");
    expect(rows[0].probe).toBeNull();
  });

  it('offers a Prisma client on the worker database through the pg driver adapter', async () => {
    const rows = await prisma().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    expect(rows[0]?.db).toBe(databaseName(workerDatabaseUrl()));
  });
});
