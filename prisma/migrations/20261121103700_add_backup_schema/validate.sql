-- Checks of add_backup_schema: backup.preserve() copies rows, appends on a second call, makes no
-- table for no rows, and refuses a bad label.
DO $$
DECLARE
  kept bigint;
BEGIN
  IF to_regprocedure('backup.preserve(text,text)') IS NULL THEN
    RAISE EXCEPTION 'add_backup_schema: backup.preserve(text, text) is missing';
  END IF;
  IF backup.preserve('validate_probe', 'SELECT 1 AS n WHERE false') <> 0 OR to_regclass('backup.validate_probe') IS NOT NULL THEN
    RAISE EXCEPTION 'add_backup_schema: backup.preserve() made a table for no rows';
  END IF;
  PERFORM backup.preserve('validate_probe', 'SELECT 1 AS n UNION ALL SELECT 2');
  PERFORM backup.preserve('validate_probe', 'SELECT 3 AS n');
  -- Dynamic: the table does not exist when this block is planned.
  EXECUTE 'SELECT count(*) FROM backup.validate_probe' INTO kept;
  IF kept <> 3 THEN
    RAISE EXCEPTION 'add_backup_schema: backup.preserve() kept % rows of 3 given over two calls', kept;
  END IF;
  BEGIN
    PERFORM backup.preserve('Bad Label', 'SELECT 1');
    RAISE EXCEPTION 'add_backup_schema: backup.preserve() accepted an unsafe label';
  EXCEPTION WHEN invalid_parameter_value THEN
    NULL;
  END;
END
$$;
