import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/errors.ts';
import { withoutUndescribableConstraints } from '../../src/migrate/engine-copy.ts';

describe('the migration copy for the WebAssembly schema engine', () => {
  it('leaves out CHECK and EXCLUDE constraints, constraint triggers and what refers to them, keeping line numbers', () => {
    const names = new Set<string>();
    const first = [
      'CREATE TABLE "s"."t" ("id" BIGINT NOT NULL);',
      'ALTER TABLE "s"."t" ADD CONSTRAINT "t_id_positive_check" CHECK ("id" > 0) NOT VALID;',
      'ALTER TABLE s.t ADD CONSTRAINT t_no_overlap_excl EXCLUDE USING gist (id WITH =);',
      'CREATE CONSTRAINT TRIGGER _500_balance AFTER INSERT ON s.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f();',
      'ALTER TABLE "s"."t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("id") REFERENCES "s"."u"("id") NOT VALID;',
    ].join('\n');
    const copy = withoutUndescribableConstraints(first, 'a', names);
    expect(copy.count).toBe(3);
    expect(copy.script.split('\n')).toEqual([
      'CREATE TABLE "s"."t" ("id" BIGINT NOT NULL);',
      '-- (removed for the WebAssembly schema engine: CHECK constraint t_id_positive_check);',
      '-- (removed for the WebAssembly schema engine: EXCLUDE constraint t_no_overlap_excl);',
      '-- (removed for the WebAssembly schema engine: constraint trigger _500_balance);',
      'ALTER TABLE "s"."t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("id") REFERENCES "s"."u"("id") NOT VALID;',
    ]);

    const later = [
      'ALTER TABLE s.t VALIDATE CONSTRAINT t_id_positive_check;',
      'ALTER TABLE s.t VALIDATE CONSTRAINT t_fk;',
      'COMMENT ON CONSTRAINT t_no_overlap_excl ON s.t IS \'x\';',
      'DROP TRIGGER IF EXISTS _500_balance ON s.t;',
      'ALTER TABLE s.t DROP CONSTRAINT IF EXISTS "t_id_positive_check";',
    ].join('\n');
    const next = withoutUndescribableConstraints(later, 'b', names);
    expect(next.count).toBe(4);
    expect(next.script).toContain('ALTER TABLE s.t VALIDATE CONSTRAINT t_fk;');
  });

  it('refuses a CHECK inside CREATE TABLE, which it could not leave out alone', () => {
    expect(() => withoutUndescribableConstraints('CREATE TABLE t (n int CHECK (n > 0));', 'x/migration.sql', new Set())).toThrow(UserError);
  });
});
