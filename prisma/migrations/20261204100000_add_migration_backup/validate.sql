-- Checks of add_migration_backup: ops.migration_backup exists, readable by supply_ledger_backup and
-- by nobody else; a failed verification needs its reason; backup.preserve() leaves a table the
-- backup role can read (validate.sql always runs rolled back).
DO $$
BEGIN
  IF to_regclass('ops.migration_backup') IS NULL THEN
    RAISE EXCEPTION 'add_migration_backup: ops.migration_backup is missing';
  END IF;
  IF NOT has_table_privilege('supply_ledger_backup', 'ops.migration_backup', 'SELECT') THEN
    RAISE EXCEPTION 'add_migration_backup: supply_ledger_backup cannot read ops.migration_backup';
  END IF;
  IF has_schema_privilege('supply_ledger_app', 'ops', 'USAGE') OR has_schema_privilege('supply_ledger_readonly', 'ops', 'USAGE')
     OR has_table_privilege('supply_ledger_app', 'ops.migration_backup', 'SELECT, INSERT, UPDATE, DELETE') THEN
    RAISE EXCEPTION 'add_migration_backup: an application role may use ops';
  END IF;
  BEGIN
    INSERT INTO ops.migration_backup (database_name, backup_location, backup_size_bytes, checksum_sha256, server_version, pg_dump_version, row_counts, verified_at, is_valid)
    VALUES ('probe', '/nowhere', 0, repeat('0', 64), '18', '18', '{}', now(), false);
    RAISE EXCEPTION 'add_migration_backup: a failed verification without its reason was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  PERFORM backup.preserve('validate_migration_backup_probe', 'SELECT 1 AS n');
  IF NOT has_table_privilege('supply_ledger_backup', 'backup.validate_migration_backup_probe', 'SELECT') THEN
    RAISE EXCEPTION 'add_migration_backup: supply_ledger_backup cannot read a table backup.preserve() made';
  END IF;
END
$$;
