/**
 * Rules that hold for every domain schema at once, so that a new table, constraint or trigger
 * cannot slip in without its index, its test, or its tenant key and row-level security.
 */
import { describe, expect, it } from '@jest/globals';
import { namespaces } from '../../src/project.ts';
import { CLIENT_SETTING_EXPRESSION, type CensusEntry, censusGaps, tenancyGaps } from '../harness/census.ts';
import { scratchDatabase, templateName, withRollback } from '../harness/db.ts';

describe('every domain schema', () => {
  it('holds each refusal to a test that saw it fail (the census the run applies after the whole suite)', () => {
    const entries: CensusEntry[] = [
      { kind: 'check', name: 'a_qty_check' },
      { kind: 'foreign key', name: 'a_b_id_fkey' },
      { kind: 'constraint trigger', name: 'a_balances', function: 's.tg_a__balance' },
      { kind: 'trigger function', name: 's.tg_a__guard', raises: true },
      { kind: 'trigger function', name: 's.tg_a__touch', raises: false },
    ];
    const seen = [
      { code: '23514', constraint: 'a_qty_check', functions: [] },
      { code: '23001', functions: ['s.tg_a__guard', 's.post_a'] },
    ];
    // Named in a test file is not enough for what can fail; it is for what cannot.
    expect(censusGaps(entries, seen, ["expectSqlError(client, attempt, '23503', 'a_b_id_fkey') // tg_a__touch"])).toEqual([
      'foreign key a_b_id_fkey: never seen failing (SQLSTATE and name) in a test',
      'constraint trigger a_balances: never seen failing (SQLSTATE and name) in a test',
    ]);
    expect(
      censusGaps(
        entries,
        [...seen, { code: '23503', constraint: 'a_b_id_fkey', functions: [] }, { code: 'P0001', functions: ['s.tg_a__balance'] }],
        [],
      ),
    ).toEqual(['trigger function s.tg_a__touch: named by no test']);
  });

  it('leads an index with every foreign key, or with its columns other than client_id (deletes of the parent and joins stay cheap)', async () => {
    // Ids are unique across clients: an index on (warehouse_id) finds the rows of
    // (client_id, warehouse_id) as well as one on both would (docs/design/tenancy.md).
    const unindexed = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.conname AS name FROM pg_constraint c
           LEFT JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'client_id' AND NOT a.attisdropped
          WHERE c.contype = 'f' AND c.connamespace::regnamespace::text = ANY($1)
            AND NOT EXISTS (
              SELECT 1 FROM pg_index i, LATERAL (SELECT c.conkey AS every, array_remove(c.conkey, a.attnum) AS other) k
               WHERE i.indrelid = c.conrelid
                 AND ((i.indkey::int2[])[0:cardinality(k.every) - 1] @> k.every AND (i.indkey::int2[])[0:cardinality(k.every) - 1] <@ k.every
                      OR cardinality(k.other) > 0 AND (i.indkey::int2[])[0:cardinality(k.other) - 1] @> k.other
                         AND (i.indkey::int2[])[0:cardinality(k.other) - 1] <@ k.other))
          ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(unindexed).toEqual([]);
  });

  it('names views v_<name> and materialized views mv_<name>', async () => {
    const misnamed = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relnamespace::regnamespace || '.' || c.relname AS name FROM pg_class c
          WHERE c.relnamespace::regnamespace::text = ANY($1)
            AND (c.relkind = 'v' AND c.relname NOT LIKE 'v\\_%' OR c.relkind = 'm' AND c.relname NOT LIKE 'mv\\_%')
          ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(misnamed).toEqual([]);
  });

  it('comments every table, function, view and materialized view', async () => {
    const uncommented = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT p.pronamespace::regnamespace || '.' || p.proname AS name FROM pg_proc p
          WHERE p.pronamespace::regnamespace::text = ANY($1) AND obj_description(p.oid, 'pg_proc') IS NULL
         UNION
         SELECT c.relnamespace::regnamespace || '.' || c.relname FROM pg_class c
          WHERE c.relnamespace::regnamespace::text = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
          ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(uncommented).toEqual([]);
  });

  it('turns JIT off in every function that disables a planner method (before PostgreSQL 18 the disabled cost JIT-compiles each statement)', async () => {
    // speed_up_carrier_event_ingest without it: 7.6 s for a batch of one event on PostgreSQL 15.
    const compiling = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT p.oid::regprocedure::text AS name FROM pg_proc p
          WHERE p.pronamespace::regnamespace::text = ANY($1)
            AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS setting WHERE setting LIKE 'enable\\_%=off')
            AND NOT 'jit=off' = ANY(p.proconfig)
          ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(compiling).toEqual([]);
  });

  it('holds every table to the tenancy rules: client_id or "shared", client_id in every key and foreign key, row-level security forced with its one policy', async () => {
    expect(await withRollback((client) => tenancyGaps(client, namespaces()))).toEqual([]);
  });

  it('names what a new table, key or foreign key breaks of the tenancy rules', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    await client.query('BEGIN');
    try {
      await client.query(`
        CREATE TABLE catalog.census_unit (code text PRIMARY KEY);
        COMMENT ON TABLE catalog.census_unit IS 'Units of measure, shared by all clients.';
        CREATE TABLE catalog.census_orphan (id bigint PRIMARY KEY);
        CREATE TABLE catalog.census_tenant (
          client_id bigint NOT NULL REFERENCES core.client (id), id bigint PRIMARY KEY, product_id bigint,
          CONSTRAINT census_tenant_product_id_fkey FOREIGN KEY (client_id, product_id) REFERENCES catalog.product (client_id, id) ON UPDATE CASCADE);
        ALTER TABLE catalog.brand NO FORCE ROW LEVEL SECURITY;`);
      expect(await tenancyGaps(client, namespaces())).toEqual([
        'foreign key census_tenant_product_id_fkey: ON UPDATE CASCADE, SET NULL or SET DEFAULT',
        'index catalog.census_tenant_pkey: a key of a tenant table that does not lead with client_id',
        'table catalog.brand: row-level security not forced',
        'table catalog.census_orphan: neither client_id nor "shared" in its comment',
        `table catalog.census_tenant: not exactly one policy, tenant_isolation, FOR ALL, to PUBLIC, USING and WITH CHECK client_id = ${CLIENT_SETTING_EXPRESSION}`,
        'table catalog.census_tenant: row-level security not enabled',
        'table catalog.census_tenant: row-level security not forced',
      ]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
