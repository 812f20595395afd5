import { describe, expect, it } from '@jest/globals';
import { statementLocks } from '../../src/migrate/lock-analysis.ts';
import { parseScript } from '../../src/migrate/sql.ts';

const analyse = async (sql: string) => statementLocks((await parseScript(sql)).statements[0]!);
const locksOf = async (sql: string) =>
  (await analyse(sql)).locks.map(({ relation, mode, created, index }) => ({
    relation,
    mode,
    ...(created ? { created } : {}),
    ...(index ? { index } : {}),
  }));

describe('statementLocks', () => {
  it.each([
    [
      'CREATE TABLE "inventory"."stock_level" (id bigint, product_id bigint REFERENCES "catalog"."product"(id))',
      [
        { relation: 'inventory.stock_level', mode: 'ACCESS EXCLUSIVE', created: true },
        { relation: 'catalog.product', mode: 'SHARE ROW EXCLUSIVE' },
      ],
    ],
    ['CREATE INDEX "product_name_idx" ON "catalog"."product"("name")', [{ relation: 'catalog.product', mode: 'SHARE' }]],
    [
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY Catalog.Product (sku)',
      [{ relation: 'catalog.product', mode: 'SHARE UPDATE EXCLUSIVE' }],
    ],
    ['ALTER TABLE "catalog"."product" ADD COLUMN "brand_id" BIGINT', [{ relation: 'catalog.product', mode: 'ACCESS EXCLUSIVE' }]],
    [
      'ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_brand_id_fkey" FOREIGN KEY ("brand_id") REFERENCES "catalog"."brand"("id") ON DELETE RESTRICT',
      [
        { relation: 'catalog.product', mode: 'SHARE ROW EXCLUSIVE' },
        { relation: 'catalog.brand', mode: 'SHARE ROW EXCLUSIVE' },
      ],
    ],
    ['ALTER TABLE t VALIDATE CONSTRAINT c', [{ relation: 't', mode: 'SHARE UPDATE EXCLUSIVE' }]],
    ['ALTER TABLE t VALIDATE CONSTRAINT c, ADD COLUMN x int', [{ relation: 't', mode: 'ACCESS EXCLUSIVE' }]],
    ['DROP INDEX "catalog"."product_name_idx"', [{ relation: 'catalog.product_name_idx', mode: 'ACCESS EXCLUSIVE', index: true }]],
    [
      'DROP TABLE IF EXISTS a, s.b CASCADE',
      [
        { relation: 'a', mode: 'ACCESS EXCLUSIVE' },
        { relation: 's.b', mode: 'ACCESS EXCLUSIVE' },
      ],
    ],
    [
      'CREATE TRIGGER _500_x BEFORE INSERT ON inventory.stock_movement FOR EACH ROW EXECUTE FUNCTION f()',
      [{ relation: 'inventory.stock_movement', mode: 'SHARE ROW EXCLUSIVE' }],
    ],
    ['DROP TRIGGER IF EXISTS _500_x ON inventory.stock_movement', [{ relation: 'inventory.stock_movement', mode: 'ACCESS EXCLUSIVE' }]],
    ['INSERT INTO catalog.brand (name) SELECT DISTINCT brand FROM catalog.product', [{ relation: 'catalog.brand', mode: 'ROW EXCLUSIVE' }]],
    ['UPDATE ONLY catalog.product SET brand_id = 1', [{ relation: 'catalog.product', mode: 'ROW EXCLUSIVE' }]],
    ["COMMENT ON COLUMN catalog.product.sku IS 'x'", [{ relation: 'catalog.product', mode: 'SHARE UPDATE EXCLUSIVE' }]],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY inventory.mv_valuation', [{ relation: 'inventory.mv_valuation', mode: 'EXCLUSIVE' }]],
    ['LOCK TABLE a IN SHARE ROW EXCLUSIVE MODE', [{ relation: 'a', mode: 'SHARE ROW EXCLUSIVE' }]],
    ['CREATE RULE r AS ON INSERT TO s.t DO NOTHING', [{ relation: 's.t', mode: 'ACCESS EXCLUSIVE' }]],
    [
      'TRUNCATE a, ONLY b',
      [
        { relation: 'a', mode: 'ACCESS EXCLUSIVE' },
        { relation: 'b', mode: 'ACCESS EXCLUSIVE' },
      ],
    ],
    [
      'VACUUM (FULL, ANALYZE) a (x), b',
      [
        { relation: 'a', mode: 'ACCESS EXCLUSIVE' },
        { relation: 'b', mode: 'ACCESS EXCLUSIVE' },
      ],
    ],
    ['REINDEX (VERBOSE) INDEX s.i', [{ relation: 's.i', mode: 'ACCESS EXCLUSIVE', index: true }]],
    ['ALTER TABLE t RENAME COLUMN a TO b', [{ relation: 't', mode: 'ACCESS EXCLUSIVE' }]],
    ['ALTER INDEX s.i RENAME TO j', [{ relation: 's.i', mode: 'SHARE UPDATE EXCLUSIVE', index: true }]],
    ['CREATE TABLE "É" (id int)', [{ relation: '"É"', mode: 'ACCESS EXCLUSIVE', created: true }]],
    ['CREATE SCHEMA IF NOT EXISTS "audit"', []],
    ["CREATE TYPE inventory.movement_type AS ENUM ('RECEIPT')", []],
  ])('%s', async (statement, expected) => {
    expect(await locksOf(statement)).toEqual(expected);
  });

  it('warns about full-table work a lock hides', async () => {
    expect((await analyse('ALTER TABLE t ALTER COLUMN c SET NOT NULL')).notes).toContain('scans the whole table to check NOT NULL');
    expect((await analyse('ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)')).notes[0]).toMatch(/validates every existing row/);
    expect((await analyse('ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID')).notes).toEqual([]);
    expect((await analyse('ALTER TABLE t ADD PRIMARY KEY (a)')).notes).toEqual(['builds a unique index while holding the lock']);
    expect((await analyse('ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i')).notes).toEqual([]);
    expect((await analyse('ALTER TABLE t ADD COLUMN type text')).notes).toEqual([]);
  });

  it('says when locks cannot be read from the text', async () => {
    expect((await analyse('DO $$ BEGIN PERFORM 1; END $$')).unknown).toMatch(/procedural code/);
    expect(await analyse('WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved')).toMatchObject({
      locks: [],
      unknown: expect.stringMatching(/query/),
    });
  });
});
