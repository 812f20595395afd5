/**
 * The tenancy of the deployed schema as a whole (docs/design/tenancy.md): core.validate_schema_integrity()
 * passes every check and names what breaks one, `migrate verify` reports its failures, and every
 * tenant table's client key keeps a client whose rows remain from being deleted. On clones of the
 * template, as the superuser the tests connect with: the probes change the schema.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { quoteIdent } from '../../src/db/connect.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { grantDatabaseAccess } from '../harness/database-grants.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';

interface Check {
  check_name: string;
  status: string;
  details: string;
}

async function integrity(client: pg.Client): Promise<Check[]> {
  return (await client.query<Check>('SELECT check_name, status, details FROM core.validate_schema_integrity()')).rows;
}

describe('core.validate_schema_integrity()', () => {
  it('passes every check on the deployed schema, with figures from the catalog', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    const checks = await integrity(client);
    expect(checks.filter((check) => check.status !== 'PASS')).toEqual([]);
    expect(checks.map((check) => check.check_name)).toEqual([
      'tables_are_tenant_or_shared',
      'row_level_security_enabled',
      'row_level_security_forced',
      'tenant_isolation_policy',
      'client_id_leads_keys',
      'tenant_foreign_keys',
      'bigint_ids',
      'foreign_keys_indexed',
      'security_definer_search_path',
      'materialized_views_private',
      'views_security_invoker',
      'objects_commented',
      'app_role_least_privilege',
      'backfill_functions_private',
      'objects_owned_by_owner',
    ]);
    const { rows } = await client.query<{ tenants: string }>(
      `SELECT count(*)::text AS tenants FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE a.attname = 'client_id' AND c.relkind = 'r' AND c.relnamespace::regnamespace::text <> 'backup'`,
    );
    expect(checks[2]).toEqual({
      check_name: 'row_level_security_forced',
      status: 'PASS',
      details: `forced on all ${Number(rows[0]!.tenants) + 1} tenant tables`,
    });
  });

  it('names the table whose policy or FORCE is gone, and the foreign key whose index is', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    await client.query(`
      DROP POLICY tenant_isolation ON catalog.product;
      ALTER TABLE inventory.stock_count NO FORCE ROW LEVEL SECURITY;
      DROP INDEX inventory.stock_level_warehouse_id_idx;`);
    expect((await integrity(client)).filter((check) => check.status !== 'PASS')).toEqual([
      { check_name: 'row_level_security_forced', status: 'FAIL', details: 'inventory.stock_count' },
      { check_name: 'tenant_isolation_policy', status: 'FAIL', details: 'catalog.product' },
      { check_name: 'foreign_keys_indexed', status: 'FAIL', details: 'stock_level_warehouse_id_fkey' },
    ]);

    // migrate verify runs it after the migrations' own checks, a failed result per failed check.
    const results = await verify(client, { migrationsDir: MIGRATIONS_DIR });
    expect(results.filter((result) => result.name.startsWith('core.validate_schema_integrity()'))).toEqual([
      { name: 'core.validate_schema_integrity(): row_level_security_forced', result: 'failed', message: 'inventory.stock_count' },
      { name: 'core.validate_schema_integrity(): tenant_isolation_policy', result: 'failed', message: 'catalog.product' },
      { name: 'core.validate_schema_integrity(): foreign_keys_indexed', result: 'failed', message: 'stock_level_warehouse_id_fkey' },
    ]);
  });

  it('is one passed result of migrate verify on the deployed schema', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    await grantDatabaseAccess(client);
    const results = await verify(client, { migrationsDir: MIGRATIONS_DIR });
    expect(results.filter((result) => result.result !== 'passed')).toEqual([]);
    expect(results.at(-1)).toEqual({ name: 'core.validate_schema_integrity()', result: 'passed', message: '15 checks passed' });
  });
});

/** A value of `type` that a column of it accepts, as SQL. */
function valueOf(type: string, label: string | null): string {
  if (label !== null) return `'${label}'`;
  if (/^(bigint|integer|smallint|numeric)/.test(type)) return '1';
  if (type === 'boolean') return 'false';
  if (type.startsWith('timestamp')) return 'now()';
  if (type === 'date') return 'current_date';
  if (type === 'uuid') return 'gen_random_uuid()';
  if (type === 'jsonb' || type === 'json') return "'{}'";
  return "'census'";
}

describe('the client key of every tenant table', () => {
  it('keeps a client whose rows remain from being deleted (ON DELETE RESTRICT on <table>_client_id_fkey)', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    const { rows: tables } = await client.query<{ name: string; table: string }>(
      `SELECT c.oid::regclass::text AS name, c.relname AS table FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id'
        WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text <> 'backup' ORDER BY 1`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const restrict = await fkRestrictCode(client);
    await client.query('BEGIN');
    try {
      for (const { name, table } of tables) {
        await client.query('SAVEPOINT tenant_table');
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO core.client (code, name) VALUES ('census-' || $1, 'census') RETURNING id::text`,
          [table],
        );
        const clientId = rows[0]!.id;
        // One row of the client in this table only: no trigger and no foreign key check runs (replica),
        // and its CHECKs are set aside, so that any value of each column's type will do.
        await client.query(`SET LOCAL session_replication_role = replica`);
        const { rows: checks } = await client.query<{ name: string }>(
          `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`,
          [name],
        );
        for (const check of checks) await client.query(`ALTER TABLE ${name} DROP CONSTRAINT ${quoteIdent(check.name)}`);
        const { rows: columns } = await client.query<{ column: string; type: string; label: string | null }>(
          `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
                  (SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1) AS label
             FROM pg_attribute a
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull AND a.attgenerated = ''
              AND a.attname <> 'client_id' AND NOT EXISTS (SELECT 1 FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum)`,
          [name],
        );
        await client.query(
          `INSERT INTO ${name} (client_id${columns.map((c) => `, ${quoteIdent(c.column)}`).join('')})
           VALUES (${clientId}${columns.map((c) => `, ${valueOf(c.type, c.label)}::${c.type}`).join('')})`,
        );
        await client.query(`SET LOCAL session_replication_role = origin`);
        await expectSqlError(
          client,
          () => client.query('DELETE FROM core.client WHERE id = $1', [clientId]),
          restrict,
          `${table}_client_id_fkey`,
        );
        await client.query('ROLLBACK TO SAVEPOINT tenant_table');
      }
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
