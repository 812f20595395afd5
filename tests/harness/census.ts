/**
 * The census of refusals: every CHECK, foreign key and constraint trigger of the domain schemas,
 * and every trigger function that raises, must have been seen failing by a test, with its SQLSTATE
 * and its name (`expectSqlError` records what it saw), not merely named in a test file. It runs
 * after the whole suite (the run's teardown), when every test has had its chance to observe.
 *
 * Also the tenancy rules every table, key and policy of the domain schemas keeps
 * ({@link tenancyGaps}, held by tests/schema/census.test.ts).
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

/** The expression every tenant policy compares the tenant key with, as PostgreSQL prints it. */
export const CLIENT_SETTING_EXPRESSION = "(NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint";

/**
 * The tenancy rules (docs/design/tenancy.md) that the tables, keys and policies of `schemas` break,
 * as lines for people: every table is a tenant table (client_id bigint NOT NULL referring to
 * core.client) or commented `shared`; every tenant table (and core.client) has row-level security
 * enabled, forced and one policy, tenant_isolation, FOR ALL, whose USING and WITH CHECK compare its
 * key with the setting app.client_id; client_id leads every primary key, unique index and
 * exclusion constraint of a tenant table; every foreign key to a tenant table comes from one, has
 * client_id first on both sides (or is the client key itself), and no SET NULL, SET DEFAULT or
 * ON UPDATE CASCADE.
 */
export async function tenancyGaps(client: pg.ClientBase, schemas: string[]): Promise<string[]> {
  const { rows } = await client.query<{ gap: string }>(
    `WITH domain_table AS (
       SELECT c.oid, c.oid::regclass::text AS name, c.relrowsecurity, c.relforcerowsecurity, a.attnum AS client_attnum,
              a.atttypid = 'bigint'::regtype AND a.attnotnull AS client_id_bigint_not_null,
              c.oid = to_regclass('core.client') AS is_client, coalesce(obj_description(c.oid, 'pg_class') ~* '\\mshared\\M', false) AS is_shared
         FROM pg_class c
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND c.relnamespace::regnamespace::text = ANY($1)
     ),
     tenant AS (
       SELECT t.*, CASE WHEN t.is_client THEN 'id' ELSE 'client_id' END AS key_column FROM domain_table t WHERE t.client_attnum IS NOT NULL OR t.is_client
     )
     SELECT format('table %s: neither client_id nor "shared" in its comment', name) AS gap FROM domain_table
      WHERE client_attnum IS NULL AND NOT is_client AND NOT is_shared
     UNION ALL
     SELECT format('table %s: client_id is not bigint NOT NULL referring to core.client', t.name) FROM domain_table t
      WHERE t.client_attnum IS NOT NULL AND NOT (t.client_id_bigint_not_null AND EXISTS (
              SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'f' AND k.confrelid = to_regclass('core.client')
                 AND k.conkey = ARRAY[t.client_attnum]))
     UNION ALL
     SELECT format('table %s: row-level security not enabled', name) FROM tenant WHERE NOT relrowsecurity
     UNION ALL
     SELECT format('table %s: row-level security not forced', name) FROM tenant WHERE NOT relforcerowsecurity
     UNION ALL
     SELECT format('table %s: not exactly one policy, tenant_isolation, FOR ALL, to PUBLIC, USING and WITH CHECK %s = %s', t.name, t.key_column, $2::text)
       FROM tenant t
      WHERE (SELECT count(*) FROM pg_policy p WHERE p.polrelid = t.oid) <> 1
         OR NOT EXISTS (SELECT 1 FROM pg_policy p
                         WHERE p.polrelid = t.oid AND p.polname = 'tenant_isolation' AND p.polcmd = '*' AND p.polpermissive AND p.polroles = '{0}'
                           AND pg_get_expr(p.polqual, p.polrelid) = format('(%s = %s)', t.key_column, $2::text)
                           AND pg_get_expr(p.polwithcheck, p.polrelid) = format('(%s = %s)', t.key_column, $2::text))
     UNION ALL
     SELECT format('index %s: a key of a tenant table that does not lead with client_id', i.indexrelid::regclass)
       FROM pg_index i JOIN tenant t ON t.oid = i.indrelid
      WHERE NOT t.is_client AND (i.indisunique OR i.indisexclusion) AND i.indkey[0] <> t.client_attnum
     UNION ALL
     SELECT format('foreign key %s: %s', k.conname, CASE
              WHEN child.oid IS NULL THEN 'a table without client_id refers to a tenant table'
              WHEN k.confdeltype IN ('n', 'd') THEN 'ON DELETE SET NULL or SET DEFAULT'
              WHEN k.confupdtype IN ('c', 'n', 'd') THEN 'ON UPDATE CASCADE, SET NULL or SET DEFAULT'
              ELSE 'client_id is not its first column on both sides' END)
       FROM pg_constraint k
       JOIN domain_table d ON d.oid = k.conrelid
       JOIN tenant parent ON parent.oid = k.confrelid
       LEFT JOIN tenant child ON child.oid = k.conrelid
      WHERE k.contype = 'f'
        AND (child.oid IS NULL OR k.confdeltype IN ('n', 'd') OR k.confupdtype IN ('c', 'n', 'd')
             OR parent.is_client AND k.conkey <> ARRAY[child.client_attnum]
             OR NOT parent.is_client AND (k.conkey[1] <> child.client_attnum OR k.confkey[1] <> parent.client_attnum))
     ORDER BY 1`,
    [schemas, CLIENT_SETTING_EXPRESSION],
  );
  return rows.map((row) => row.gap);
}
