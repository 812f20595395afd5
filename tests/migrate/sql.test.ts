import { describe, expect, it } from '@jest/globals';
import { autocommitReason, hasNoTransactionDirective, splitStatements } from '../../src/migrate/sql.ts';

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers, comments and function bodies, with line numbers', () => {
    const script = [
      '-- header; not a statement',
      'CREATE TABLE "a;b" (note text DEFAULT \'x;y\');',
      '/* block; /* nested; */ still comment; */',
      "INSERT INTO t VALUES (E'it\\'s;');",
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END; $fn$;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;',
      'SELECT $1::int',
    ].join('\n');
    const statements = splitStatements(script);
    expect(statements.map((s) => s.line)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(statements[0]!.text).toBe('CREATE TABLE "a;b" (note text DEFAULT \'x;y\')');
    expect(statements[1]!.text).toBe("INSERT INTO t VALUES (E'it\\'s;')");
    expect(statements[4]!.text).toMatch(/SELECT 2; END$/);
    expect(statements[5]!.text).toBe('SELECT $1::int');
    for (const statement of statements) expect(script.slice(statement.start, statement.end)).toBe(statement.text);
  });

  it('yields nothing for a script of comments and blank lines', () => {
    expect(splitStatements('-- only\n/* comments */\n\n;\n')).toEqual([]);
  });
});

describe('the no-transaction directive', () => {
  it('is read from the comments before the first statement only', () => {
    expect(hasNoTransactionDirective('-- Build the index without blocking writes.\n-- supply-ledger: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);')).toBe(true);
    expect(hasNoTransactionDirective('CREATE TABLE t (a int);\n-- supply-ledger: no-transaction\n')).toBe(false);
    expect(hasNoTransactionDirective("SELECT '-- supply-ledger: no-transaction';")).toBe(false);
  });
});

describe('statements PostgreSQL refuses inside a transaction', () => {
  it.each([
    ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['create unique index concurrently if not exists i on t (a)', 'CREATE INDEX CONCURRENTLY'],
    ['DROP INDEX CONCURRENTLY IF EXISTS i', 'DROP INDEX CONCURRENTLY'],
    ['REINDEX TABLE CONCURRENTLY t', 'REINDEX CONCURRENTLY/SCHEMA/DATABASE'],
    ['VACUUM (ANALYZE) t', 'VACUUM'],
    ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', 'DETACH PARTITION CONCURRENTLY'],
    ['ALTER SYSTEM SET work_mem = 1', 'ALTER SYSTEM'],
  ])('%s', (statement, reason) => {
    expect(autocommitReason(statement, 180000)).toBe(reason);
  });

  it.each(['CREATE INDEX i ON t (a)', 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv', 'ANALYZE t', 'CLUSTER t USING i', "SELECT 'VACUUM'"])(
    'accepts %s in a transaction',
    (statement) => {
      expect(autocommitReason(statement, 180000)).toBeUndefined();
    },
  );

  it('refuses ALTER TYPE ... ADD VALUE in a transaction before PostgreSQL 12 only', () => {
    expect(autocommitReason("ALTER TYPE s.e ADD VALUE 'X'", 110000)).toBeDefined();
    expect(autocommitReason("ALTER TYPE s.e ADD VALUE 'X'", 120000)).toBeUndefined();
  });
});
