-- Rollback of add_migration_backup: the backup records are kept in backup.*, then the table and the
-- ops schema go (RESTRICT: refused while a later migration's objects are in it); backup.preserve()
-- gets its earlier body; the deploying login's default privileges in backup are revoked. The grants
-- on existing backup tables stay: they only let the backup role read them.
SELECT backup.preserve('ops_migration_backup_20261204100000', 'SELECT * FROM ops.migration_backup');
DROP TABLE ops.migration_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA ops REVOKE SELECT ON TABLES FROM supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA ops REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
DROP SCHEMA ops RESTRICT;

CREATE OR REPLACE FUNCTION backup.preserve(label text, query text)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  copied bigint;
  found boolean;
BEGIN
  IF label !~ '^[a-z0-9_]{1,63}$' THEN
    RAISE EXCEPTION 'backup.preserve: label must be 1-63 characters of a-z, 0-9 and _, got %', label
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('SELECT EXISTS (%s)', query) INTO found;
  IF NOT found THEN
    RETURN 0; -- nothing to keep: no empty backup table is left behind
  END IF;
  -- Appending (rather than replacing) keeps the rows of an earlier rollback that were never restored.
  EXECUTE format('CREATE TABLE IF NOT EXISTS backup.%I AS SELECT q.*, now() AS backed_up_at FROM (%s) q WITH NO DATA', label, query);
  EXECUTE format('INSERT INTO backup.%I SELECT q.*, now() FROM (%s) q', label, query);
  GET DIAGNOSTICS copied = ROW_COUNT;
  RETURN copied;
END
$$;
COMMENT ON FUNCTION backup.preserve(text, text) IS
  'Appends the rows of `query`, with the time, to backup.<label> (created when there is a first row to keep) and returns how many. Used by down.sql scripts before they drop data.';
ALTER FUNCTION backup.preserve(text, text) OWNER TO supply_ledger_owner;

SET LOCAL ROLE NONE;
DO $$
BEGIN
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA backup REVOKE SELECT ON TABLES FROM supply_ledger_backup', session_user);
END
$$;
