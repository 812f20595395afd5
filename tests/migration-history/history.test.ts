import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect, quoteIdent } from '../../src/db/connect.ts';
import { migrationRole } from '../../src/migrate/apply.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { DEFAULT_SETTINGS } from '../../src/migrate/settings.ts';
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

/** SET ROLE to the role the runner runs a migration as (the owner, once create_roles ran), or nothing. */
async function setMigrationRole(client: pg.Client, local: boolean): Promise<boolean> {
  const role = await migrationRole(client, DEFAULT_SETTINGS.ownerRole);
  if (role !== undefined) await client.query(`SET ${local ? 'LOCAL ' : ''}ROLE ${quoteIdent(role)}`);
  return role !== undefined;
}

/** Runs a migration's script (migration.sql or down.sql) as the runner does: as the role it runs migrations as. */
async function runScript(client: pg.Client, sql: string): Promise<void> {
  const switched = await setMigrationRole(client, false);
  try {
    await client.query(sql);
  } finally {
    if (switched) await client.query('RESET ROLE');
  }
}

/** Runs a validate.sql the way `verify` will: as the migrations' role, inside a transaction that is always rolled back. */
async function validate(client: pg.Client, file: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await setMigrationRole(client, true);
    await client.query(fs.readFileSync(file, 'utf8'));
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * What the catalog fingerprint leaves out and the tenancy migrations change: row-level security
 * and policies, owners, privileges (as grantee and privilege, whatever the ACL's form) of this
 * database and of the objects outside PostgreSQL's own schemas, and default privileges.
 */
async function securityFingerprint(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ entry: string }>(`
    WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'),
    kept AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'backup'),
    acl (object, owner, acl) AS (
      SELECT 'database', d.datdba, coalesce(d.datacl, acldefault('d'::"char", d.datdba)) FROM pg_database d WHERE d.datname = current_database()
      UNION ALL SELECT 'schema ' || n.nspname, n.nspowner, coalesce(n.nspacl, acldefault('n'::"char", n.nspowner)) FROM pg_namespace n JOIN ns ON ns.oid = n.oid
      UNION ALL SELECT 'relation ' || c.oid::regclass, c.relowner, coalesce(c.relacl, acldefault((CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))
        FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relname <> '_prisma_migrations' AND c.oid NOT IN (SELECT oid FROM kept)
      UNION ALL SELECT 'function ' || p.oid::regprocedure, p.proowner, coalesce(p.proacl, acldefault('f'::"char", p.proowner))
        FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = p.oid AND dep.deptype = 'e')
    )
    SELECT format('%s owned by %s: %s', a.object, a.owner::regrole,
                  (SELECT string_agg(DISTINCT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END || ' ' || x.privilege_type, ', ')
                     FROM aclexplode(a.acl) x WHERE x.grantee <> a.owner)) AS entry
      FROM acl a
    UNION ALL SELECT format('table %s: row security %s, forced %s', c.oid::regclass, c.relrowsecurity, c.relforcerowsecurity)
      FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity)
    UNION ALL SELECT format('policy %s on %s: %s %s to %s using %s check %s', p.polname, p.polrelid::regclass, p.polcmd, p.polpermissive, p.polroles,
                            pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
      FROM pg_policy p
    UNION ALL SELECT format('default privileges of %s in %s on %s: %s', d.defaclrole::regrole, coalesce(d.defaclnamespace::regnamespace::text, 'every schema'),
                            d.defaclobjtype, (SELECT string_agg(CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE x.grantee::regrole::text END || ' ' || x.privilege_type, ', '
                                                                ORDER BY 1) FROM aclexplode(d.defaclacl) x))
      FROM pg_default_acl d
    ORDER BY 1`);
  return rows.map((row) => row.entry);
}

/** The catalog and security fingerprints together. */
async function fingerprint(client: pg.ClientBase): Promise<string[]> {
  return [...(await catalogFingerprint(client)), ...(await securityFingerprint(client))];
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
      empty = await fingerprint(client);
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
          await runScript(client, migration.script);
          if (data !== undefined) await client.query(data);
          await validate(client, migration.validatePath!);
        };
        await up();
        const afterUp = await fingerprint(client);

        await runScript(client, fs.readFileSync(migration.downPath!, 'utf8'));
        await expect(validate(client, migration.validatePath!)).rejects.toMatchObject({ code: 'P0001' });

        await up();
        expect(await fingerprint(client)).toEqual(afterUp);
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
        await runScript(client, fs.readFileSync(migration.downPath!, 'utf8'));
      }
      expect(await fingerprint(client)).toEqual(empty);
    });
  });
});

describe('the runner on the migration history of this repository', () => {
  it('deploys, verifies, rolls everything back to an empty database, and deploys the same schema again', async () => {
    const url = await createScratchDatabase();
    const client = await connect(url);
    try {
      const empty = await fingerprint(client);
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const deployed = await fingerprint(client);
      expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);

      const { rolledBack } = await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { steps: migrations.length });
      expect(rolledBack).toEqual(migrations.map((migration) => migration.name).reverse());
      expect(await fingerprint(client)).toEqual(empty);

      expect((await deploy(client, { migrationsDir: MIGRATIONS_DIR })).applied).toHaveLength(migrations.length);
      expect(await fingerprint(client)).toEqual(deployed);
    } finally {
      await client.end();
      await dropScratchDatabase(url);
    }
  });
});
