/*
 * create_roles: least-privilege roles (issue 10, docs/design/tenancy.md#roles). Roles belong to the
 * cluster, not to this database: each is created when missing and given the attributes below when
 * it exists already (another database of the cluster made it), so the migration runs the same on a
 * fresh cluster and on a cluster that has them.
 *
 * - supply_ledger_owner, NOLOGIN, BYPASSRLS: owns every object of the domain schemas, core and
 *   backup (schemas, tables, sequences, views, materialized views, functions, types). Migrations
 *   run as it (the runner: SET LOCAL ROLE supply_ledger_owner once it exists and may create in this
 *   database; Prisma: ALTER ROLE <deploy login> SET role = supply_ledger_owner), and so do data
 *   migrations and backfills, which must see every client's rows under FORCE ROW LEVEL SECURITY.
 *   Nobody logs in as it: an application cannot be it. It is a member of the app and readonly
 *   roles, so that it (and the logins that are its members) can act as them.
 * - supply_ledger_app, LOGIN (no password set here), NOSUPERUSER, NOBYPASSRLS, owns nothing: reads
 *   and writes the tenant tables (row-level security decides which rows, enable_row_level_security),
 *   uses their sequences, executes the API functions. No DDL (no CREATE on any schema or on the
 *   database), no TRUNCATE, no TEMP, nothing of _prisma_migrations or the backup schema, no batch
 *   function of a backfill. The ledger and the audit log are append-only: INSERT and SELECT only.
 * - supply_ledger_readonly, LOGIN: SELECT on the tenant tables (under row-level security) and the
 *   functions that only read.
 * - supply_ledger_backup, LOGIN, BYPASSRLS: SELECT on everything, _prisma_migrations and the
 *   backup schema included, for pg_dump (which refuses to dump a table whose rows row-level
 *   security would hide, unless the role bypasses it).
 *
 * In this database: PUBLIC loses CONNECT and TEMPORARY, the three login roles get CONNECT, the
 * owner CREATE, TEMPORARY and CONNECT (which logins that are its members inherit); PUBLIC loses
 * EXECUTE on the functions; ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner grants what the
 * roles need on tables, sequences and functions created later (a later materialized view must
 * revoke SELECT from the app and readonly roles, a later backfill function EXECUTE:
 * core.validate_schema_integrity() reports both).
 *
 * Runs as the deploying login (SET LOCAL ROLE NONE), which must be a superuser: creating roles,
 * giving BYPASSRLS, commenting on roles, granting role membership and this database's privileges,
 * and taking ownership from the current owners need one; the owner role can do none of it.
 *
 * Locks: ACCESS EXCLUSIVE on each table, view and sequence for a moment (ALTER ... OWNER, GRANT
 * changes its ACL). Expected runtime: instant. Rollback: down.sql (revokes what this database
 * granted and gives ownership back to the login that runs it; the roles stay: other databases of
 * the cluster may use them). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] roles, ownership, grants
-- Prisma has no roles or privileges.
SET LOCAL ROLE NONE;

DO $$
DECLARE
  wanted record;
  actual record;
BEGIN
  FOR wanted IN
    SELECT * FROM (VALUES
      ('supply_ledger_owner', false, true, 'Owns the supply-ledger schemas and objects; migrations and backfills run as it. NOLOGIN, BYPASSRLS.'),
      ('supply_ledger_app', true, false, 'The supply-ledger application: data changes on tenant tables under row-level security (app.client_id), API functions. No DDL.'),
      ('supply_ledger_readonly', true, false, 'Reads the supply-ledger tenant tables under row-level security (app.client_id). Writes nothing.'),
      ('supply_ledger_backup', true, true, 'pg_dump of supply-ledger databases: SELECT on everything, BYPASSRLS.')
    ) AS role (name, can_login, bypass_rls, description)
  LOOP
    SELECT rolcanlogin, rolbypassrls, rolsuper, rolcreatedb, rolcreaterole, rolreplication INTO actual FROM pg_roles WHERE rolname = wanted.name;
    IF NOT FOUND THEN
      EXECUTE format('CREATE ROLE %I %s %s NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', wanted.name,
                     CASE WHEN wanted.can_login THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN wanted.bypass_rls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END);
    ELSIF (actual.rolcanlogin, actual.rolbypassrls, actual.rolsuper, actual.rolcreatedb, actual.rolcreaterole, actual.rolreplication)
          IS DISTINCT FROM (wanted.can_login, wanted.bypass_rls, false, false, false, false) THEN
      EXECUTE format('ALTER ROLE %I %s %s NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', wanted.name,
                     CASE WHEN wanted.can_login THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN wanted.bypass_rls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END);
    END IF;
    EXECUTE format('COMMENT ON ROLE %I IS %L', wanted.name, wanted.description);
  END LOOP;
END
$$;

-- The owner may act as the application roles (SET ROLE), as the operators who are its members may:
-- validate.sql probes row-level security as them, and seeds write as them.
GRANT supply_ledger_app, supply_ledger_readonly TO supply_ledger_owner;

-- This database: connections and temporary tables only for the roles that need them.
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup', current_database());
  EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO supply_ledger_owner', current_database());
END
$$;

-- Ownership: every schema of the domains, core and backup, and everything in them. A sequence
-- that belongs to a column changes owner with its table.
ALTER SCHEMA audit OWNER TO supply_ledger_owner;
ALTER SCHEMA backup OWNER TO supply_ledger_owner;
ALTER SCHEMA catalog OWNER TO supply_ledger_owner;
ALTER SCHEMA core OWNER TO supply_ledger_owner;
ALTER SCHEMA inventory OWNER TO supply_ledger_owner;
ALTER SCHEMA traceability OWNER TO supply_ledger_owner;
DO $$
DECLARE
  command text;
BEGIN
  FOR command IN
    SELECT format('ALTER %s %s OWNER TO supply_ledger_owner',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass)
      FROM pg_class c
     WHERE c.relnamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO supply_ledger_owner', p.oid::regprocedure)
      FROM pg_proc p
     WHERE p.pronamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO supply_ledger_owner', t.oid::regtype)
      FROM pg_type t
     WHERE t.typnamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND t.typtype IN ('e', 'd')
  LOOP
    EXECUTE command;
  END LOOP;
END
$$;

-- The schemas: usable by every role, backup by the backup role only; CREATE by nobody but the owner.
GRANT USAGE ON SCHEMA audit, catalog, core, inventory, traceability TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
GRANT USAGE ON SCHEMA backup TO supply_ledger_backup;

-- The application: its clients' data (row-level security decides which rows), the ledger and the
-- audit log append-only, the sequences of the ids, the clients to read.
GRANT SELECT, INSERT, UPDATE, DELETE ON catalog.brand, catalog.payment_term, catalog.warehouse, catalog.product, catalog.supplier,
  catalog.supplier_contact, inventory.stock_level, inventory.goods_receipt, inventory.stock_count, inventory.stock_count_line,
  traceability.ingredient, traceability.ingredient_lot, traceability.recipe, traceability.recipe_ingredient, traceability.production_run,
  traceability.batch, traceability.batch_ingredient, traceability.pallet, traceability.pallet_content TO supply_ledger_app;
GRANT SELECT, INSERT ON inventory.stock_movement, audit.audit_log TO supply_ledger_app;
GRANT SELECT ON core.client, traceability.v_trace_edge, traceability.v_trace_node TO supply_ledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA audit, catalog, inventory, traceability TO supply_ledger_app;

-- The read-only role: the same rows, read.
GRANT SELECT ON catalog.brand, catalog.payment_term, catalog.warehouse, catalog.product, catalog.supplier, catalog.supplier_contact,
  inventory.stock_level, inventory.goods_receipt, inventory.stock_movement, inventory.stock_count, inventory.stock_count_line,
  traceability.ingredient, traceability.ingredient_lot, traceability.recipe, traceability.recipe_ingredient, traceability.production_run,
  traceability.batch, traceability.batch_ingredient, traceability.pallet, traceability.pallet_content, audit.audit_log, core.client,
  traceability.v_trace_edge, traceability.v_trace_node TO supply_ledger_readonly;

-- The backup role: everything, the migration history included (in whichever schema it lives).
GRANT SELECT ON ALL TABLES IN SCHEMA audit, backup, catalog, core, inventory, traceability TO supply_ledger_backup;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA audit, catalog, core, inventory, traceability TO supply_ledger_backup;
DO $$
DECLARE
  history regclass;
BEGIN
  FOR history IN SELECT c.oid::regclass FROM pg_class c WHERE c.relname = '_prisma_migrations' AND c.relkind = 'r' LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO supply_ledger_backup', (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = history));
    EXECUTE format('GRANT SELECT ON %s TO supply_ledger_backup', history);
  END LOOP;
END
$$;

-- Functions: nobody by default; the application the API and what the API and the tables' checks
-- call as it (trigger functions need no EXECUTE: a trigger runs its function whoever fires it).
-- Not the batch functions of backfills, not refresh_all_inventory_views() (the operator's), not
-- backup.preserve().
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA audit, backup, catalog, core, inventory, traceability FROM PUBLIC;
GRANT EXECUTE ON FUNCTION catalog.is_valid_gs1_key(text), inventory.post_stock_count(bigint),
  traceability.assert_reworkable(traceability.batch), traceability.assert_palletisable(traceability.batch),
  traceability.walk_forward(text, bigint, integer), traceability.walk_backward(text, bigint, integer),
  traceability.trace_forward(text, bigint, integer), traceability.trace_backward(text, bigint, integer), traceability.report_recall(text),
  traceability.describe_location(text, text, text, text), traceability.has_ftl_food_input(bigint),
  traceability.export_fsma_records(text, date, date) TO supply_ledger_app;
GRANT EXECUTE ON FUNCTION catalog.is_valid_gs1_key(text),
  traceability.walk_forward(text, bigint, integer), traceability.walk_backward(text, bigint, integer),
  traceability.trace_forward(text, bigint, integer), traceability.trace_backward(text, bigint, integer), traceability.report_recall(text),
  traceability.describe_location(text, text, text, text), traceability.has_ftl_food_input(bigint),
  traceability.export_fsma_records(text, date, date) TO supply_ledger_readonly;

-- Objects the owner creates later (the next migrations run as it).
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  GRANT USAGE, SELECT ON SEQUENCES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  GRANT EXECUTE ON FUNCTIONS TO supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  GRANT SELECT ON TABLES TO supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  GRANT SELECT ON SEQUENCES TO supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA backup GRANT SELECT ON TABLES TO supply_ledger_backup;
-- [CUSTOM_CHANGE_END]
