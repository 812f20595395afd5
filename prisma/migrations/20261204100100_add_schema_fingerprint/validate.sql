-- Checks of add_schema_fingerprint: the fingerprint names functions, policies, triggers and grants,
-- and a function body changed by hand changes its md5 (validate.sql always runs rolled back).
DO $$
DECLARE
  before_md5 text;
  after_md5 text;
BEGIN
  IF to_regclass('ops.schema_object_fingerprint') IS NULL OR to_regprocedure('ops.schema_fingerprint()') IS NULL THEN
    RAISE EXCEPTION 'add_schema_fingerprint: ops.schema_object_fingerprint or ops.schema_fingerprint() is missing';
  END IF;
  IF (SELECT count(DISTINCT kind) FROM ops.schema_fingerprint() WHERE kind IN ('function', 'grants', 'constraint', 'row security')) <> 4 THEN
    RAISE EXCEPTION 'add_schema_fingerprint: the fingerprint misses a kind of object';
  END IF;
  CREATE FUNCTION ops.validate_fingerprint_probe() RETURNS integer LANGUAGE sql AS $fn$ SELECT 1 $fn$;
  SELECT definition_md5 INTO before_md5 FROM ops.schema_fingerprint() WHERE kind = 'function' AND name = 'ops.validate_fingerprint_probe()';
  CREATE OR REPLACE FUNCTION ops.validate_fingerprint_probe() RETURNS integer LANGUAGE sql AS $fn$ SELECT 2 $fn$;
  SELECT definition_md5 INTO after_md5 FROM ops.schema_fingerprint() WHERE kind = 'function' AND name = 'ops.validate_fingerprint_probe()';
  IF before_md5 IS NULL OR before_md5 = after_md5 THEN
    RAISE EXCEPTION 'add_schema_fingerprint: a changed function body did not change its fingerprint';
  END IF;
END
$$;
