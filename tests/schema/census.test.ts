/**
 * Rules that hold for every domain schema at once, so that a new table, constraint or trigger
 * cannot slip in without its index or its test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { namespaces } from '../../src/project.ts';
import { withRollback } from '../harness/db.ts';

const TESTS_DIR = path.join(import.meta.dirname, '..');
const SELF = path.join(import.meta.dirname, 'census.test.ts');

/** The text of every test file but this one. */
function testTexts(): string[] {
  return fs
    .readdirSync(TESTS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && path.join(TESTS_DIR, file) !== SELF)
    .map((file) => fs.readFileSync(path.join(TESTS_DIR, file), 'utf8'));
}

describe('every domain schema', () => {
  it('names each CHECK, foreign key, constraint trigger and trigger function in a test that breaks it', async () => {
    const texts = testTexts();
    const names = await withRollback(async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.conname AS name FROM pg_constraint c
          WHERE c.connamespace::regnamespace::text = ANY($1) AND c.contype IN ('c', 'f', 't')
         UNION
         SELECT p.proname FROM pg_proc p
          WHERE p.pronamespace::regnamespace::text = ANY($1) AND p.proname LIKE 'tg\\_%'
         ORDER BY 1`,
        [namespaces()],
      );
      return rows.map((row) => row.name);
    });
    expect(names.length).toBeGreaterThan(80);
    expect(names.filter((name) => !texts.some((text) => text.includes(name)))).toEqual([]);
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
