import type pg from 'pg';

/**
 * A fingerprint of everything a migration can create outside PostgreSQL's own schemas: schemas,
 * extensions, tables and their columns, constraints, indexes (with validity), triggers, functions
 * (by definition), views, types and enum labels. Left out: `_prisma_migrations` (the history
 * differs between databases whose schema is the same) and the tables in `backup` (what rollbacks
 * kept, not schema).
 */
export async function catalogFingerprint(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ entry: string }>(`
    WITH ns AS (
      SELECT oid, nspname FROM pg_namespace
       WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
    ),
    kept AS (
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'backup'
    )
    SELECT 'schema ' || nspname AS entry FROM ns
    UNION ALL SELECT 'extension ' || extname || ' in ' || extnamespace::regnamespace FROM pg_extension
    UNION ALL SELECT format('relation %s (%s)', c.oid::regclass, c.relkind) FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
     WHERE c.relname <> '_prisma_migrations' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.oid NOT IN (SELECT oid FROM kept)
    UNION ALL SELECT format('column %s.%s %s%s%s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                            CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                            COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), ''))
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND c.oid NOT IN (SELECT oid FROM kept)
    UNION ALL SELECT format('constraint %s on %s: %s', con.conname, con.conrelid::regclass, pg_get_constraintdef(con.oid))
       FROM pg_constraint con JOIN ns ON ns.oid = con.connamespace
      WHERE con.contype <> 'n' AND con.conrelid::regclass::text NOT LIKE '%\\_prisma\\_migrations'
    UNION ALL SELECT format('index %s%s', pg_get_indexdef(i.indexrelid), CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END)
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns ON ns.oid = c.relnamespace
      WHERE i.indrelid::regclass::text NOT LIKE '%\\_prisma\\_migrations'
    UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace WHERE NOT t.tgisinternal
    UNION ALL SELECT format('function %s = %s', p.oid::regprocedure, md5(pg_get_functiondef(p.oid)))
       FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
      WHERE p.prokind IN ('f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = p.oid AND dep.deptype = 'e')
    UNION ALL SELECT format('view %s = %s', c.oid::regclass, md5(pg_get_viewdef(c.oid))) FROM pg_class c
       JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
    UNION ALL SELECT format('type %s', t.oid::regtype) FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
      WHERE t.typtype IN ('e', 'd', 'c') AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
        AND t.typrelid NOT IN (SELECT oid FROM kept)
        AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = t.oid AND dep.deptype = 'e')
    UNION ALL SELECT format('enum %s: %s', e.enumtypid::regtype, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder))
       FROM pg_enum e GROUP BY e.enumtypid
    ORDER BY 1`);
  return rows.map((row) => row.entry);
}

/**
 * A fingerprint of the data in every table and materialized view of the domain schemas: each
 * relation's row count and a hash of its rows in a stable order. Equal fingerprints mean nothing
 * was written (or everything written was taken back).
 */
export async function dataFingerprint(client: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: relations } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'backup')
        AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of relations) {
    const { rows } = await client.query<{ summary: string }>(
      `SELECT count(*) || ' rows, ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') AS summary FROM ${name} t`,
    );
    fingerprint[name] = rows[0]!.summary;
  }
  return fingerprint;
}
