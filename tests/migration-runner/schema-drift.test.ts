/**
 * What Prisma cannot see (issue 13): the runner records the fingerprint of functions, triggers,
 * policies, views, constraints and grants as the migrations leave them, and `migrate status` names
 * what was changed by hand and exits 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { deploy } from '../../src/migrate/deploy.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { migrationStatus } from '../../src/migrate/status.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { runCli } from '../harness/cli.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';
import { migrationsThrough } from '../harness/fixtures.ts';

const HOT_FIX = `CREATE OR REPLACE FUNCTION catalog.is_valid_gs1_key(code text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$`;

describe('migrate status and objects Prisma cannot see', () => {
  it('is up to date on a database the runner deployed', async () => {
    const { url } = await scratchDatabase({ template: templateName() });
    const run = await runCli(['migrate', 'status'], { DATABASE_URL: url });
    expect(run.stdout).toContain('Database is up to date.');
    expect(run.code).toBe(0);
  });

  it('names a function changed by hand and a dropped policy, and exits 1', async () => {
    const { url, client } = await scratchDatabase({ template: templateName() });
    await client.query(HOT_FIX);
    await client.query('DROP POLICY tenant_isolation ON catalog.brand');

    const run = await runCli(['migrate', 'status'], { DATABASE_URL: url });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('changed outside the migrations (2 objects):');
    expect(run.stdout).toContain('  function catalog.is_valid_gs1_key(text) changed');
    expect(run.stdout).toContain('  policy tenant_isolation on catalog.brand dropped');
    expect(run.stdout).toContain('Database is not up to date: 2 objects changed outside the migrations.');
  });

  it('keeps reporting a hot-fix after a later deploy and rollback, which record only what their migrations changed', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    const dir = migrationsThrough(
      fs
        .readdirSync(MIGRATIONS_DIR)
        .filter((name) => /^\d{14}_/.test(name))
        .at(-1)!,
    );
    const later = path.join(dir, '29990101000000_add_probe_function');
    fs.mkdirSync(later);
    fs.writeFileSync(
      path.join(later, 'migration.sql'),
      'CREATE FUNCTION catalog.drift_probe() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;',
    );
    fs.writeFileSync(path.join(later, 'down.sql'), 'DROP FUNCTION catalog.drift_probe();');
    const { rows } = await client.query<{ def: string }>(
      `SELECT pg_get_functiondef('catalog.is_valid_gs1_key(text)'::regprocedure) AS def`,
    );
    await client.query(HOT_FIX);

    await deploy(client, { migrationsDir: dir });
    let status = await migrationStatus(client, { migrationsDir: dir });
    expect(status.schemaDrift).toEqual({
      state: 'checked',
      objects: [{ kind: 'function', name: 'catalog.is_valid_gs1_key(text)', change: 'changed' }],
    });
    expect(status.upToDate).toBe(false);

    await rollback(client, { migrationsDir: dir });
    status = await migrationStatus(client, { migrationsDir: dir });
    expect(status.schemaDrift).toEqual({
      state: 'checked',
      objects: [{ kind: 'function', name: 'catalog.is_valid_gs1_key(text)', change: 'changed' }],
    });

    // Putting the migrations' definition back is what clears it.
    await client.query(rows[0]!.def);
    expect((await migrationStatus(client, { migrationsDir: dir })).schemaDrift).toEqual({ state: 'checked', objects: [] });
  });
});
