-- Checks of create_roles: the four roles and their attributes, the owner owns everything of the
-- domain schemas and core, and the application role owns nothing and reaches only what it needs.
DO $$
DECLARE
  wrong text;
BEGIN
  SELECT string_agg(wanted.name, ', ') INTO wrong
    FROM (VALUES ('supply_ledger_owner', false, true), ('supply_ledger_app', true, false),
                 ('supply_ledger_readonly', true, false), ('supply_ledger_backup', true, true)) AS wanted (name, can_login, bypass_rls)
    LEFT JOIN pg_roles r ON r.rolname = wanted.name
   WHERE r.oid IS NULL OR (r.rolcanlogin, r.rolbypassrls, r.rolsuper, r.rolcreatedb, r.rolcreaterole) IS DISTINCT FROM (wanted.can_login, wanted.bypass_rls, false, false, false);
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'create_roles: roles missing or with other attributes than LOGIN/NOLOGIN, BYPASSRLS as wanted, no SUPERUSER, CREATEDB, CREATEROLE: %', wrong;
  END IF;

  SELECT string_agg(what, ', ' ORDER BY what) INTO wrong FROM (
    SELECT 'schema ' || n.nspname AS what FROM pg_namespace n
     WHERE n.nspname IN ('audit', 'catalog', 'core', 'inventory', 'traceability') AND n.nspowner <> 'supply_ledger_owner'::regrole
    UNION ALL
    SELECT c.oid::regclass::text FROM pg_class c
     WHERE c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'core', 'inventory', 'traceability')
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> 'supply_ledger_owner'::regrole
    UNION ALL
    SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace::regnamespace::text IN ('audit', 'catalog', 'core', 'inventory', 'traceability') AND p.proowner <> 'supply_ledger_owner'::regrole
  ) AS not_owned;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'create_roles: not owned by supply_ledger_owner: %', wrong;
  END IF;

  IF EXISTS (SELECT 1 FROM pg_shdepend WHERE refclassid = 'pg_authid'::regclass AND refobjid = 'supply_ledger_app'::regrole AND deptype = 'o') THEN
    RAISE EXCEPTION 'create_roles: supply_ledger_app owns objects';
  END IF;

  SELECT string_agg(what, ', ') INTO wrong FROM (
    SELECT 'CREATE on schema ' || n.nspname AS what FROM pg_namespace n
     WHERE n.nspname IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability', 'public') AND has_schema_privilege('supply_ledger_app', n.oid, 'CREATE')
    UNION ALL SELECT 'USAGE on schema backup' WHERE has_schema_privilege('supply_ledger_app', 'backup', 'USAGE')
    UNION ALL SELECT 'CREATE or TEMPORARY on the database' WHERE has_database_privilege('supply_ledger_app', current_database(), 'CREATE, TEMPORARY')
    UNION ALL SELECT 'TRUNCATE on ' || c.oid::regclass FROM pg_class c
     WHERE c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'core', 'inventory', 'traceability') AND c.relkind = 'r'
       AND has_table_privilege('supply_ledger_app', c.oid, 'TRUNCATE')
    UNION ALL SELECT 'SELECT on ' || c.oid::regclass FROM pg_class c
     WHERE c.relname = '_prisma_migrations' AND c.relkind = 'r' AND has_table_privilege('supply_ledger_app', c.oid, 'SELECT')
    UNION ALL SELECT 'EXECUTE on ' || p.oid::regprocedure FROM pg_proc p
     WHERE p.pronamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND (p.proname LIKE 'backfill\_%' OR p.proname IN ('preserve', 'refresh_all_inventory_views'))
       AND has_function_privilege('supply_ledger_app', p.oid, 'EXECUTE')
    UNION ALL SELECT 'no INSERT on catalog.product' WHERE NOT has_table_privilege('supply_ledger_app', 'catalog.product', 'INSERT')
    UNION ALL SELECT 'no EXECUTE on traceability.trace_forward' WHERE NOT has_function_privilege('supply_ledger_app', 'traceability.trace_forward(text,bigint,integer)', 'EXECUTE')
    UNION ALL SELECT 'UPDATE on inventory.stock_movement' WHERE has_table_privilege('supply_ledger_app', 'inventory.stock_movement', 'UPDATE')
  ) AS app;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'create_roles: supply_ledger_app has %', wrong;
  END IF;

  IF has_table_privilege('supply_ledger_readonly', 'catalog.product', 'INSERT, UPDATE, DELETE')
     OR NOT has_table_privilege('supply_ledger_readonly', 'catalog.product', 'SELECT')
     OR NOT has_table_privilege('supply_ledger_backup', 'catalog.product', 'SELECT') THEN
    RAISE EXCEPTION 'create_roles: supply_ledger_readonly may write, or it or supply_ledger_backup may not read catalog.product';
  END IF;
END
$$;
