import { describe, expect, it } from '@jest/globals';
import { databaseName } from '../../src/db/connect.ts';
import { APP_ROLE, adminPool, pool, prisma, templateName, withAdminRollback, withRollback, workerDatabaseUrl } from './db.ts';
import { TEST_CLIENTS } from './template.ts';

describe('test harness', () => {
  it('gives each worker its own database, cloned from the migrated template', async () => {
    expect(databaseName(workerDatabaseUrl())).toMatch(new RegExp(`_w${process.env.JEST_WORKER_ID ?? '1'}$`));
    const { rows } = await adminPool().query<{ name: string }>(
      'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(rows.map((row) => row.name)).toContain('20261121095025_init');
    expect(templateName()).toMatch(/^sl_template_[0-9a-f]{16}$/);
  });

  it('connects as the application role working for client A, or for the client asked', async () => {
    const settings = 'SELECT current_user AS role, current_setting($1) AS client, (SELECT count(*)::int FROM core.client) AS visible';
    expect((await pool().query(settings, ['app.client_id'])).rows[0]).toEqual({ role: APP_ROLE, client: TEST_CLIENTS.A.id, visible: 1 });
    expect((await pool(TEST_CLIENTS.B).query(settings, ['app.client_id'])).rows[0]).toEqual({
      role: APP_ROLE,
      client: TEST_CLIENTS.B.id,
      visible: 1,
    });
    await withRollback(async (tx) => {
      expect((await tx.query(settings, ['app.client_id'])).rows[0]).toEqual({ role: APP_ROLE, client: TEST_CLIENTS.A.id, visible: 1 });
    });
    const { rows } = await adminPool().query<{ super: boolean; clients: number }>(
      "SELECT current_setting('is_superuser')::boolean AS super, (SELECT count(*)::int FROM core.client) AS clients",
    );
    expect(rows[0]).toEqual({ super: true, clients: 2 });
  });

  it('withAdminRollback undoes everything the callback did, also when it throws', async () => {
    await withAdminRollback(async (client) => {
      await client.query('CREATE TABLE catalog.harness_probe (id int)');
      await client.query('INSERT INTO catalog.harness_probe VALUES (1)');
    });
    const failing = withAdminRollback(async (client) => {
      await client.query('CREATE TABLE catalog.harness_probe (id int)');
      await client.query('SELECT 1/0');
    });
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    const { rows } = await adminPool().query("SELECT to_regclass('catalog.harness_probe') AS probe");
    expect(rows[0].probe).toBeNull();
  });

  it('withRollback undoes what the application role wrote', async () => {
    await withRollback(async (tx) => {
      await tx.query("INSERT INTO catalog.brand (name) VALUES ('harness probe')");
    });
    const { rows } = await adminPool().query("SELECT count(*)::int AS n FROM catalog.brand WHERE name = 'harness probe'");
    expect(rows[0].n).toBe(0);
  });

  it('offers a Prisma client on the worker database through the pg driver adapter', async () => {
    const rows = await prisma().$queryRaw<{ db: string; role: string }[]>`SELECT current_database() AS db, current_user AS role`;
    expect(rows[0]).toEqual({ db: databaseName(workerDatabaseUrl()), role: APP_ROLE });
  });
});
