import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/errors.ts';
import { adapterSplitProblem, toAdapterSafe } from '../../src/migrate/adapter-safe.ts';
import { splitStatements } from '../../src/migrate/sql.ts';
import { scratchDatabase } from '../harness/db.ts';

const FUNCTION = `CREATE FUNCTION s.f(x int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  label text := 'it''s';
BEGIN
  RETURN label || ' ' || x || E'\\\\';
END
$fn$;
COMMENT ON FUNCTION s.f(int) IS 'one; two';
SELECT 1;
`;

describe("migrations for Prisma's driver adapter, which splits at every ';'", () => {
  it('finds the semicolons that are not statement ends', () => {
    expect(adapterSplitProblem('SELECT 1;\nSELECT 2;')).toBeUndefined();
    expect(adapterSplitProblem(FUNCTION)).toMatchObject({ line: 3 });
    expect(adapterSplitProblem('SELECT 1; -- and; more\nSELECT 2;')).toEqual({ line: 1, where: 'a comment' });
  });

  it('rewrites bodies and strings as E-strings that the naive split leaves whole and PostgreSQL reads the same', async () => {
    const safe = toAdapterSafe(FUNCTION);
    expect(adapterSplitProblem(safe)).toBeUndefined();
    const pieces = safe.split(';').map((piece) => piece.trim()).filter(Boolean);
    expect(pieces).toEqual(splitStatements(safe).map((statement) => statement.text));

    const { client } = await scratchDatabase();
    await client.query('CREATE SCHEMA s');
    for (const piece of pieces) await client.query(piece);
    const { rows } = await client.query("SELECT s.f(7) AS result, obj_description('s.f(int)'::regprocedure) AS comment");
    expect(rows[0]).toEqual({ result: "it's 7\\", comment: 'one; two' });
  });

  it('refuses what it cannot rewrite: a semicolon in a comment', () => {
    expect(() => toAdapterSafe('SELECT 1; -- first; second\n')).toThrow(UserError);
  });
});
