import { describe, expect, it } from '@jest/globals';
import { SqlSyntaxError, autocommitReason, hasNoTransactionDirective, parseScript } from '../../src/migrate/sql.ts';

const splitStatements = async (script: string) => (await parseScript(script)).statements;
const statement = async (sql: string) => (await splitStatements(sql))[0]!;

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers, comments and function bodies, with line numbers', async () => {
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
    const statements = await splitStatements(script);
    expect(statements.map((s) => s.line)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(statements[0]!.text).toBe('CREATE TABLE "a;b" (note text DEFAULT \'x;y\')');
    expect(statements[1]!.text).toBe("INSERT INTO t VALUES (E'it\\'s;')");
    expect(statements[4]!.text).toMatch(/SELECT 2; END$/);
    expect(statements[5]!.text).toBe('SELECT $1::int');
    for (const statement of statements) expect(script.slice(statement.start, statement.end)).toBe(statement.text);
  });

  it('yields nothing for a script of comments and blank lines', async () => {
    expect(await splitStatements('-- only\n/* comments */\n\n;\n')).toEqual([]);
    expect(await splitStatements('')).toEqual([]);
  });

  it('gives string offsets and lines after non-ASCII text (the parser counts UTF-8 bytes)', async () => {
    const script = "-- café crème 😀\nINSERT INTO t VALUES ('é😀'); /* ü */\n  SELECT 'ñ' -- trailing\n;";
    const statements = await splitStatements(script);
    expect(statements.map(({ text, line }) => ({ text, line }))).toEqual([
      { text: "INSERT INTO t VALUES ('é😀')", line: 2 },
      { text: "SELECT 'ñ'", line: 3 },
    ]);
    for (const { start, end, text } of statements) expect(script.slice(start, end)).toBe(text);
  });

  it("rejects what PostgreSQL's parser rejects, with its message and the line of the offending token", async () => {
    const rejection = (script: string) =>
      parseScript(script).then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(await rejection("-- é 😀\nSELECT 'é😀';\n\nSELEC 1;")).toMatchObject({ line: 4, message: 'syntax error at or near "SELEC"' });
    const unterminated = await rejection("SELECT 1;\nCOMMENT ON TABLE a IS 'oops;\nSELECT 2;\n");
    expect(unterminated).toBeInstanceOf(SqlSyntaxError);
    expect(unterminated).toMatchObject({ line: 2, message: `unterminated quoted string at or near "'oops;..."` });
    expect(await rejection('SELECT 1;\n/* open')).toMatchObject({ line: 2, message: expect.stringMatching(/^unterminated \/\* comment/) });
  });
});

describe('the no-transaction directive', () => {
  it('is read from the comments before the first statement only', async () => {
    const directive = async (script: string) => hasNoTransactionDirective(await parseScript(script));
    expect(
      await directive(
        '-- Build the index without blocking writes.\n-- supply-ledger: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);',
      ),
    ).toBe(true);
    expect(await directive('CREATE TABLE t (a int);\n-- supply-ledger: no-transaction\n')).toBe(false);
    expect(await directive("SELECT '-- supply-ledger: no-transaction';")).toBe(false);
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
  ])('%s', async (sql, reason) => {
    expect(autocommitReason(await statement(sql), 180000)).toBe(reason);
  });

  it.each(['CREATE INDEX i ON t (a)', 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv', 'ANALYZE t', 'CLUSTER t USING i', "SELECT 'VACUUM'"])(
    'accepts %s in a transaction',
    async (sql) => {
      expect(autocommitReason(await statement(sql), 180000)).toBeUndefined();
    },
  );

  it('refuses ALTER TYPE ... ADD VALUE in a transaction before PostgreSQL 12 only', async () => {
    const addValue = await statement("ALTER TYPE s.e ADD VALUE 'X'");
    expect(autocommitReason(addValue, 110000)).toBeDefined();
    expect(autocommitReason(addValue, 120000)).toBeUndefined();
    expect(autocommitReason(await statement("ALTER TYPE s.e RENAME VALUE 'X' TO 'Y'"), 110000)).toBeUndefined();
  });
});
