/**
 * Rules that hold for every domain schema at once, so that a new table, constraint or trigger
 * cannot slip in without its index or its test.
 */
import { describe, expect, it } from '@jest/globals';
import { namespaces } from '../../src/project.ts';
import { type CensusEntry, censusGaps } from '../harness/census.ts';
import { withRollback } from '../harness/db.ts';

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

  it('leads an index with every foreign key (deletes of the parent and joins stay cheap)', async () => {
    const unindexed = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.conname AS name FROM pg_constraint c
          WHERE c.contype = 'f' AND c.connamespace::regnamespace::text = ANY($1)
            AND NOT EXISTS (
              SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.conrelid
                 AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                 AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
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

  it('comments every function, view and materialized view', async () => {
    const uncommented = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT p.pronamespace::regnamespace || '.' || p.proname AS name FROM pg_proc p
          WHERE p.pronamespace::regnamespace::text = ANY($1) AND obj_description(p.oid, 'pg_proc') IS NULL
         UNION
         SELECT c.relnamespace::regnamespace || '.' || c.relname FROM pg_class c
          WHERE c.relnamespace::regnamespace::text = ANY($1) AND c.relkind IN ('v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
          ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(uncommented).toEqual([]);
  });
});
