/*
 * add_schema_integrity_check: core.validate_schema_integrity() (seed 002's name,
 * docs/specification.md#seed-002-migration-strategy; issue 10, docs/design/tenancy.md#checks), one
 * row (check_name, status 'PASS' or 'FAIL', details) per rule the schema as a whole must keep, so
 * that a table, key, policy or function added later without following the tenancy rules is named.
 * `migrate verify` runs it after the migrations' own checks. Seed 002 counts objects against sample
 * numbers (50 tables, 30 policies); here every figure comes from the catalog: the tenant tables are
 * the tables of the domain schemas that have client_id, and core.client.
 *
 * The checks: every table is a tenant table or commented 'shared'; row-level security enabled,
 * forced and with its one policy on every tenant table; client_id leads every primary key, unique
 * index and exclusion constraint of a tenant table; every foreign key between tenant tables has
 * client_id first on both sides, and none has ON DELETE SET NULL/SET DEFAULT or ON UPDATE
 * CASCADE/SET NULL/SET DEFAULT; ids, client_id and foreign key columns are bigint; every foreign
 * key is indexed; every SECURITY DEFINER function has a fixed search_path; no materialized view is
 * readable by the application roles; views are security_invoker; every table, view, materialized
 * view and function of the domain schemas is commented; supply_ledger_app is no superuser, does not
 * bypass row-level security and owns nothing; no backfill batch function is executable by the
 * application roles; supply_ledger_owner owns every object of the domain schemas.
 *
 * Also the comments of the seven traceability tables that had none, which the comment check needs.
 *
 * Locks: none on data (a new function, comments). Expected runtime: instant; the function reads
 * only the catalog (milliseconds for this schema). Rollback: down.sql. Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] table comments
-- Prisma has no comments.
COMMENT ON TABLE "traceability"."ingredient" IS 'Ingredients recipes use, unique by name whatever the case; FTL foods (FDA Food Traceability List) need every FSMA 204 key data element.';
COMMENT ON TABLE "traceability"."ingredient_lot" IS 'Lots of an ingredient received from a supplier, with their traceability lot code (TLC), quantities (consumed counted by trigger), dates and quality status.';
COMMENT ON TABLE "traceability"."recipe" IS 'Recipe versions of a product; at most one version per product is active (recipe_one_active_version_key).';
COMMENT ON TABLE "traceability"."recipe_ingredient" IS 'Ingredient lines of a recipe version: quantity per unit of output.';
COMMENT ON TABLE "traceability"."production_run" IS 'Production runs of a recipe version in a warehouse (the FSMA transformation location); batches are their output.';
COMMENT ON TABLE "traceability"."pallet" IS 'Pallets (SSCC-labelled units) of batches, with their status and warehouse; pallet_content says what is on them.';
COMMENT ON TABLE "traceability"."pallet_content" IS 'How much of a batch is on a pallet: the batch-to-pallet edges of the trace (palletised quantity counted on the batch by trigger).';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] validate_schema_integrity
-- Prisma has no functions.
CREATE FUNCTION core.validate_schema_integrity()
RETURNS TABLE (check_name text, status text, details text)
LANGUAGE sql
STABLE
AS $$
  WITH domain_schema AS (
    -- Every schema but PostgreSQL's, public (extensions, migration history) and backup (rollbacks' data).
    SELECT n.oid FROM pg_namespace n
     WHERE n.nspname NOT IN ('public', 'backup', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  ),
  domain_table AS (
    SELECT c.oid, c.oid::regclass::text AS name, c.relrowsecurity, c.relforcerowsecurity, a.attnum AS client_attnum,
           a.atttypid = 'bigint'::regtype AND a.attnotnull AS client_id_bigint_not_null,
           c.oid = to_regclass('core.client') AS is_client,
           coalesce(obj_description(c.oid, 'pg_class') ~* '\mshared\M', false) AS is_shared
      FROM pg_class c
      JOIN domain_schema s ON s.oid = c.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p')
  ),
  tenant AS (
    SELECT t.*, CASE WHEN t.is_client THEN 'id' ELSE 'client_id' END AS key_column
      FROM domain_table t
     WHERE t.client_attnum IS NOT NULL OR t.is_client
  ),
  foreign_key AS (
    SELECT k.oid, k.conname, k.conrelid, k.confrelid, k.conkey, k.confkey, k.confdeltype, k.confupdtype,
           child.client_attnum AS child_client, parent.client_attnum AS parent_client, parent.is_client AS to_client,
           child.oid IS NOT NULL AS from_tenant, parent.oid IS NOT NULL AS to_tenant
      FROM pg_constraint k
      JOIN domain_table d ON d.oid = k.conrelid
      LEFT JOIN tenant child ON child.oid = k.conrelid
      LEFT JOIN tenant parent ON parent.oid = k.confrelid
     WHERE k.contype = 'f'
  ),
  app_role AS (
    SELECT to_regrole('supply_ledger_app') AS app, to_regrole('supply_ledger_readonly') AS readonly, to_regrole('supply_ledger_owner') AS owner
  ),
  result (position, check_name, failures, passed) AS (
    SELECT 1, 'tables_are_tenant_or_shared',
           (SELECT string_agg(name || CASE WHEN client_attnum IS NULL THEN ' (no client_id, not commented shared)'
                                           ELSE ' (client_id not bigint NOT NULL referencing core.client)' END, ', ' ORDER BY name)
              FROM domain_table t
             WHERE NOT t.is_client AND (t.client_attnum IS NULL AND NOT t.is_shared
                   OR t.client_attnum IS NOT NULL AND NOT (t.client_id_bigint_not_null AND EXISTS (
                        SELECT 1 FROM foreign_key f WHERE f.conrelid = t.oid AND f.to_client AND f.conkey = ARRAY[t.client_attnum])))),
           (SELECT format('%s tenant tables (core.client and %s with client_id), %s shared', count(*) FILTER (WHERE client_attnum IS NOT NULL OR is_client),
                          count(*) FILTER (WHERE client_attnum IS NOT NULL), count(*) FILTER (WHERE client_attnum IS NULL AND is_shared))
              FROM domain_table)
    UNION ALL
    SELECT 2, 'row_level_security_enabled',
           (SELECT string_agg(name, ', ' ORDER BY name) FROM tenant WHERE NOT relrowsecurity),
           (SELECT format('enabled on all %s tenant tables', count(*)) FROM tenant)
    UNION ALL
    SELECT 3, 'row_level_security_forced',
           (SELECT string_agg(name, ', ' ORDER BY name) FROM tenant WHERE NOT relforcerowsecurity),
           (SELECT format('forced on all %s tenant tables', count(*)) FROM tenant)
    UNION ALL
    SELECT 4, 'tenant_isolation_policy',
           (SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM tenant t
             WHERE (SELECT count(*) FROM pg_policy p WHERE p.polrelid = t.oid) <> 1
                OR NOT EXISTS (
                     SELECT 1 FROM pg_policy p
                      WHERE p.polrelid = t.oid AND p.polname = 'tenant_isolation' AND p.polcmd = '*' AND p.polpermissive AND p.polroles = '{0}'
                        AND pg_get_expr(p.polqual, p.polrelid) = format('(%s = (NULLIF(current_setting(''app.client_id''::text, true), ''''::text))::bigint)', t.key_column)
                        AND pg_get_expr(p.polwithcheck, p.polrelid) = pg_get_expr(p.polqual, p.polrelid))),
           (SELECT format('one policy tenant_isolation, FOR ALL, USING and WITH CHECK the key = app.client_id, on all %s tenant tables', count(*)) FROM tenant)
    UNION ALL
    SELECT 5, 'client_id_leads_keys',
           (SELECT string_agg(i.indexrelid::regclass::text, ', ' ORDER BY i.indexrelid::regclass::text)
              FROM pg_index i JOIN tenant t ON t.oid = i.indrelid
             WHERE NOT t.is_client AND (i.indisunique OR i.indisexclusion) AND i.indkey[0] <> t.client_attnum),
           (SELECT format('client_id leads all %s primary keys, unique indexes and exclusion constraints of tenant tables', count(*))
              FROM pg_index i JOIN tenant t ON t.oid = i.indrelid WHERE NOT t.is_client AND (i.indisunique OR i.indisexclusion))
    UNION ALL
    SELECT 6, 'tenant_foreign_keys',
           (SELECT string_agg(f.conname || CASE
                     WHEN NOT f.from_tenant THEN ' (a shared table refers to a tenant table)'
                     WHEN f.confdeltype IN ('n', 'd') THEN ' (ON DELETE SET NULL or SET DEFAULT)'
                     WHEN f.confupdtype IN ('c', 'n', 'd') THEN ' (ON UPDATE CASCADE, SET NULL or SET DEFAULT)'
                     ELSE ' (client_id not first on both sides)' END, ', ' ORDER BY f.conname)
              FROM foreign_key f
             WHERE f.to_tenant
               AND (NOT f.from_tenant OR f.confdeltype IN ('n', 'd') OR f.confupdtype IN ('c', 'n', 'd')
                    OR f.to_client AND f.conkey <> ARRAY[f.child_client]
                    OR NOT f.to_client AND (f.conkey[1] <> f.child_client OR f.confkey[1] <> f.parent_client))),
           (SELECT format('all %s foreign keys to core.client and between tenant tables carry client_id, without SET NULL, SET DEFAULT or ON UPDATE CASCADE', count(*))
              FROM foreign_key f WHERE f.to_tenant)
    UNION ALL
    SELECT 7, 'bigint_ids',
           (SELECT string_agg(DISTINCT format('%s.%s (%s)', t.name, a.attname, format_type(a.atttypid, a.atttypmod)), ', ')
              FROM domain_table t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE a.atttypid <> 'bigint'::regtype
               AND (a.attname IN ('id', 'client_id') OR EXISTS (SELECT 1 FROM foreign_key f WHERE f.conrelid = t.oid AND a.attnum = ANY (f.conkey)))),
           (SELECT format('id, client_id and every foreign key column of all %s tables are bigint', count(*)) FROM domain_table)
    UNION ALL
    SELECT 8, 'foreign_keys_indexed',
           (SELECT string_agg(f.conname, ', ' ORDER BY f.conname) FROM foreign_key f
             WHERE NOT EXISTS (
                     SELECT 1 FROM pg_index i, LATERAL (SELECT array_remove(f.conkey, f.child_client) AS cols) other
                      WHERE i.indrelid = f.conrelid
                        AND ((i.indkey::int2[])[0:cardinality(f.conkey) - 1] @> f.conkey AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] <@ f.conkey
                             OR cardinality(other.cols) > 0 AND (i.indkey::int2[])[0:cardinality(other.cols) - 1] @> other.cols
                                AND (i.indkey::int2[])[0:cardinality(other.cols) - 1] <@ other.cols))),
           (SELECT format('an index leads with the columns of all %s foreign keys, or with those other than client_id', count(*)) FROM foreign_key)
    UNION ALL
    SELECT 9, 'security_definer_search_path',
           (SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY p.oid::regprocedure::text) FROM pg_proc p
             WHERE p.prosecdef AND p.pronamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
               AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS setting WHERE setting LIKE 'search\_path=%')),
           (SELECT format('all %s SECURITY DEFINER functions set search_path', count(*)) FROM pg_proc p
             WHERE p.prosecdef AND p.pronamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema'))
    UNION ALL
    SELECT 10, 'materialized_views_private',
           (SELECT string_agg(c.oid::regclass::text || ' (' || concat_ws(', ',
                     CASE WHEN has_table_privilege(r.app, c.oid, 'SELECT') THEN 'supply_ledger_app' END,
                     CASE WHEN has_table_privilege(r.readonly, c.oid, 'SELECT') THEN 'supply_ledger_readonly' END) || ')', ', ' ORDER BY c.oid::regclass::text)
              FROM pg_class c, app_role r
             WHERE c.relkind = 'm' AND (has_table_privilege(r.app, c.oid, 'SELECT') OR has_table_privilege(r.readonly, c.oid, 'SELECT'))),
           (SELECT format('none of the %s materialized views is readable by supply_ledger_app or supply_ledger_readonly', count(*))
              FROM pg_class c WHERE c.relkind = 'm')
    UNION ALL
    SELECT 11, 'views_security_invoker',
           (SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) FROM pg_class c JOIN domain_schema s ON s.oid = c.relnamespace
             WHERE c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)),
           (SELECT format('all %s views are security_invoker', count(*)) FROM pg_class c JOIN domain_schema s ON s.oid = c.relnamespace WHERE c.relkind = 'v')
    UNION ALL
    SELECT 12, 'objects_commented',
           (SELECT string_agg(what, ', ' ORDER BY what) FROM (
              SELECT c.oid::regclass::text AS what FROM pg_class c JOIN domain_schema s ON s.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
              UNION ALL
              SELECT p.oid::regprocedure::text FROM pg_proc p JOIN domain_schema s ON s.oid = p.pronamespace
               WHERE obj_description(p.oid, 'pg_proc') IS NULL) AS uncommented),
           (SELECT format('all %s tables, views, materialized views and functions of the domain schemas are commented',
                          (SELECT count(*) FROM pg_class c JOIN domain_schema s ON s.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm'))
                          + (SELECT count(*) FROM pg_proc p JOIN domain_schema s ON s.oid = p.pronamespace)))
    UNION ALL
    SELECT 13, 'app_role_least_privilege',
           (SELECT CASE WHEN r.app IS NULL THEN 'role supply_ledger_app does not exist'
                   ELSE nullif(concat_ws(', ',
                          CASE WHEN a.rolsuper THEN 'supply_ledger_app is a superuser' END,
                          CASE WHEN a.rolbypassrls THEN 'supply_ledger_app bypasses row-level security' END,
                          (SELECT 'supply_ledger_app owns ' || count(*) || ' object(s)' FROM pg_shdepend d
                            WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.app AND d.deptype = 'o' HAVING count(*) > 0)), '') END
              FROM app_role r LEFT JOIN pg_roles a ON a.oid = r.app),
           'supply_ledger_app: no superuser, no BYPASSRLS, owns nothing'
    UNION ALL
    SELECT 14, 'backfill_functions_private',
           (SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY p.oid::regprocedure::text) FROM pg_proc p JOIN domain_schema s ON s.oid = p.pronamespace, app_role r
             WHERE p.proname LIKE 'backfill\_%' AND (has_function_privilege(r.app, p.oid, 'EXECUTE') OR has_function_privilege(r.readonly, p.oid, 'EXECUTE'))),
           (SELECT format('none of the %s backfill batch functions is executable by supply_ledger_app or supply_ledger_readonly', count(*))
              FROM pg_proc p JOIN domain_schema s ON s.oid = p.pronamespace WHERE p.proname LIKE 'backfill\_%')
    UNION ALL
    SELECT 15, 'objects_owned_by_owner',
           (SELECT CASE WHEN r.owner IS NULL THEN 'role supply_ledger_owner does not exist' ELSE (
              SELECT string_agg(what, ', ' ORDER BY what) FROM (
                SELECT 'schema ' || n.nspname AS what FROM pg_namespace n JOIN domain_schema s ON s.oid = n.oid WHERE n.nspowner <> r.owner
                UNION ALL
                SELECT c.oid::regclass::text FROM pg_class c JOIN domain_schema s ON s.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> r.owner
                UNION ALL
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN domain_schema s ON s.oid = p.pronamespace WHERE p.proowner <> r.owner
                UNION ALL
                SELECT 'type ' || t.oid::regtype FROM pg_type t JOIN domain_schema s ON s.oid = t.typnamespace
                 WHERE t.typtype IN ('e', 'd') AND t.typowner <> r.owner) AS not_owned) END
              FROM app_role r),
           'supply_ledger_owner owns every schema, table, view, materialized view, sequence, function and type of the domain schemas'
  )
  SELECT check_name, CASE WHEN failures IS NULL THEN 'PASS' ELSE 'FAIL' END, coalesce(failures, passed)
    FROM result
   ORDER BY position
$$;
COMMENT ON FUNCTION core.validate_schema_integrity() IS
  'One row (check_name, status PASS or FAIL, details) per rule of the schema as a whole: tenancy (client_id, row-level security enabled, forced, one tenant_isolation policy; client_id in every key and foreign key between tenant tables, no SET NULL or ON UPDATE CASCADE), bigint ids, indexed foreign keys, SECURITY DEFINER search_path, private materialized views, security_invoker views, comments, least-privilege roles, ownership. Thresholds come from the catalog. Run by migrate verify.';
ALTER FUNCTION core.validate_schema_integrity() OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION core.validate_schema_integrity() FROM PUBLIC, supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
