-- Rollback of create_roles: revokes what create_roles granted in this database and gives
-- ownership of the schemas and their objects to the login that runs it, the deploying superuser
-- (SET LOCAL ROLE NONE: the owner role cannot give its objects away to it). The roles stay:
-- roles belong to the cluster, and other databases may use them. No data changes.
SET LOCAL ROLE NONE;

ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA backup REVOKE SELECT ON TABLES FROM supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  REVOKE SELECT ON TABLES FROM supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  REVOKE EXECUTE ON FUNCTIONS FROM supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  REVOKE USAGE, SELECT ON SEQUENCES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA audit, catalog, core, inventory, traceability
  REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA audit, backup, catalog, core, inventory, traceability TO PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA audit, backup, catalog, core, inventory, traceability
  FROM supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
REVOKE ALL ON ALL TABLES IN SCHEMA audit, backup, catalog, core, inventory, traceability
  FROM supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA audit, backup, catalog, core, inventory, traceability
  FROM supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
REVOKE ALL ON SCHEMA audit, backup, catalog, core, inventory, traceability FROM supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
DO $$
DECLARE
  history regclass;
BEGIN
  FOR history IN SELECT c.oid::regclass FROM pg_class c WHERE c.relname = '_prisma_migrations' AND c.relkind = 'r' LOOP
    EXECUTE format('REVOKE SELECT ON %s FROM supply_ledger_backup', history);
    EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM supply_ledger_backup', (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = history));
  END LOOP;
END
$$;

DO $$
DECLARE
  command text;
BEGIN
  FOR command IN
    SELECT format('ALTER %s %s OWNER TO %I',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass, session_user)
      FROM pg_class c
     WHERE c.relnamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner = 'supply_ledger_owner'::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, session_user)
      FROM pg_proc p
     WHERE p.pronamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND p.proowner = 'supply_ledger_owner'::regrole
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, session_user)
      FROM pg_type t
     WHERE t.typnamespace::regnamespace::text IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability')
       AND t.typtype IN ('e', 'd') AND t.typowner = 'supply_ledger_owner'::regrole
    UNION ALL
    SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, session_user)
      FROM pg_namespace n
     WHERE n.nspname IN ('audit', 'backup', 'catalog', 'core', 'inventory', 'traceability') AND n.nspowner = 'supply_ledger_owner'::regrole
  LOOP
    EXECUTE command;
  END LOOP;
END
$$;

DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM supply_ledger_owner, supply_ledger_app, supply_ledger_readonly, supply_ledger_backup', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END
$$;
