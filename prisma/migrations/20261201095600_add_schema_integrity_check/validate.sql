-- Checks of add_schema_integrity_check: core.validate_schema_integrity() passes every check on the
-- deployed schema, and names what breaks one (probed with DDL: validate.sql always runs rolled back).
DO $$
DECLARE
  failed text;
BEGIN
  IF to_regprocedure('core.validate_schema_integrity()') IS NULL THEN
    RAISE EXCEPTION 'add_schema_integrity_check: core.validate_schema_integrity() is missing';
  END IF;
  SELECT string_agg(format('%s: %s', check_name, details), '; ') INTO failed FROM core.validate_schema_integrity() WHERE status <> 'PASS';
  IF failed IS NOT NULL THEN
    RAISE EXCEPTION 'add_schema_integrity_check: the schema fails %', failed;
  END IF;

  ALTER TABLE catalog.brand NO FORCE ROW LEVEL SECURITY;
  SELECT details INTO failed FROM core.validate_schema_integrity() WHERE check_name = 'row_level_security_forced' AND status = 'FAIL';
  IF failed IS DISTINCT FROM 'catalog.brand' THEN
    RAISE EXCEPTION 'add_schema_integrity_check: with FORCE off on catalog.brand, row_level_security_forced says %', coalesce(failed, 'PASS');
  END IF;
END
$$;
