/**
 * The census of refusals: every CHECK, foreign key and constraint trigger of the domain schemas,
 * and every trigger function that raises, must have been seen failing by a test, with its SQLSTATE
 * and its name (`expectSqlError` records what it saw), not merely named in a test file. It runs
 * after the whole suite (the run's teardown), when every test has had its chance to observe.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Observation } from './observations.ts';

/** One object the census holds to a test. */
export interface CensusEntry {
  kind: 'check' | 'foreign key' | 'exclusion' | 'constraint trigger' | 'trigger function';
  /** The constraint's name, or the function's qualified name. */
  name: string;
  /** For a constraint trigger: the qualified name of the function it runs. */
  function?: string;
  /** For a trigger function: whether its body raises errors (it can then be seen failing). */
  raises?: boolean;
}

/** The census's objects in `schemas`. */
export async function censusEntries(client: pg.ClientBase, schemas: string[]): Promise<CensusEntry[]> {
  const { rows } = await client.query<CensusEntry>(
    `SELECT CASE c.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'x' THEN 'exclusion' ELSE 'constraint trigger' END AS kind,
            c.conname AS name, t.tgfoid::regproc::text AS function, NULL::boolean AS raises
       FROM pg_constraint c LEFT JOIN pg_trigger t ON t.tgconstraint = c.oid AND c.contype = 't'
      WHERE c.connamespace::regnamespace::text = ANY($1) AND c.contype IN ('c', 'f', 'x', 't')
     UNION ALL
     SELECT 'trigger function', p.oid::regproc::text, NULL, p.prosrc ~* 'RAISE\\s+EXCEPTION'
       FROM pg_proc p
      WHERE p.pronamespace::regnamespace::text = ANY($1) AND p.proname LIKE 'tg\\_%'
      ORDER BY 1, 2`,
    [schemas],
  );
  return rows.map(({ function: fn, raises, ...entry }) => ({
    ...entry,
    ...(fn ? { function: fn } : {}),
    ...(raises === null ? {} : { raises }),
  }));
}

/**
 * The entries no test holds, as lines for people. A constraint counts when an error naming it was
 * observed; a constraint trigger or a raising trigger function when an error passed through its
 * function; a trigger function that never raises (it keeps a column or writes history) when a test
 * names it, since there is no failure to observe.
 */
export function censusGaps(entries: CensusEntry[], observations: Observation[], testTexts: string[]): string[] {
  const constraints = new Set(observations.flatMap((observation) => (observation.constraint ? [observation.constraint] : [])));
  const functions = new Set(observations.flatMap((observation) => observation.functions));
  const held = (entry: CensusEntry): boolean => {
    switch (entry.kind) {
      case 'constraint trigger':
        return functions.has(entry.function ?? '');
      case 'trigger function':
        return entry.raises ? functions.has(entry.name) : testTexts.some((text) => text.includes(entry.name.split('.').at(-1)!));
      default:
        return constraints.has(entry.name);
    }
  };
  return entries
    .filter((entry) => !held(entry))
    .map((entry) => {
      const what =
        entry.kind === 'trigger function' && !entry.raises ? 'named by no test' : 'never seen failing (SQLSTATE and name) in a test';
      return `${entry.kind} ${entry.name}: ${what}`;
    });
}

/** The text of every test file under `testsDir`. */
export function testTexts(testsDir: string): string[] {
  return fs
    .readdirSync(testsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => fs.readFileSync(path.join(testsDir, file), 'utf8'));
}
