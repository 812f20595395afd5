/*
 * add_backup_schema: where rollbacks keep the data they must drop.
 *
 * The seeds' rollback scripts copy brands, movements, cost and contact data into backup tables
 * before dropping anything (000: "Rollback Data Preservation"). Every down.sql of this project does
 * the same through backup.preserve(), so that rolling back never loses data: it can be restored by
 * hand after the migration is applied again.
 *
 * Expected runtime: instant (catalog changes only). Rollback: down.sql. Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] backup schema and its helper
-- Prisma models nothing here: the schema is not in base.prisma's `schemas`, so Prisma never
-- manages (or drops) what rollbacks keep in it.
CREATE SCHEMA IF NOT EXISTS "backup";
COMMENT ON SCHEMA "backup" IS 'Data that down.sql scripts preserved before dropping it: restore by hand, then drop the table.';

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
-- [CUSTOM_CHANGE_END]
