-- Checks of create_audit_infrastructure: the trigger functions do their work on a temporary probe table, and
-- the audit log refuses changes (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  missing text;
  stamped timestamptz;
  logged record;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['audit.tg__set_updated_at()', 'audit.tg__record_change()', 'audit.tg_audit_log__forbid_change()']) AS wanted
   WHERE to_regprocedure(wanted) IS NULL;
  IF missing IS NOT NULL OR to_regclass('audit.audit_log') IS NULL THEN
    RAISE EXCEPTION 'create_audit_infrastructure: missing: %', coalesce(missing, 'audit.audit_log');
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- A temporary probe table: nothing is created in the audit schema, even for the rolled-back moment.
  -- client_id: the audit log takes a tenant row's client from it (since swap_tenant_keys, issue 10).
  CREATE TEMPORARY TABLE validate_audit_probe (id bigint PRIMARY KEY, client_id bigint, note text, updated_at timestamptz NOT NULL) ON COMMIT DROP;
  CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON validate_audit_probe FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
  CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON validate_audit_probe FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
  PERFORM set_config('supply_ledger.actor', 'validate', true);
  INSERT INTO validate_audit_probe VALUES (7, probe_client, 'first', '2000-01-01');
  UPDATE validate_audit_probe SET note = 'second', updated_at = '2000-01-01' WHERE id = 7 RETURNING updated_at INTO stamped;
  IF stamped = '2000-01-01' THEN
    RAISE EXCEPTION 'create_audit_infrastructure: audit.tg__set_updated_at() did not set updated_at';
  END IF;
  SELECT count(*) AS n, string_agg(action, ',' ORDER BY id) AS actions, bool_and(actor = 'validate') AS by_actor,
         (array_agg(new_row ->> 'note' ORDER BY id))[2] AS second_note
    INTO logged
    FROM audit.audit_log WHERE table_name = 'validate_audit_probe' AND row_id = 7;
  IF logged.n <> 2 OR logged.actions <> 'INSERT,UPDATE' OR NOT logged.by_actor OR logged.second_note IS DISTINCT FROM 'second' THEN
    RAISE EXCEPTION 'create_audit_infrastructure: audit.tg__record_change() logged % row(s) (%), expected INSERT,UPDATE by the actor', logged.n, logged.actions;
  END IF;

  BEGIN
    UPDATE audit.audit_log SET actor = 'someone else' WHERE table_name = 'validate_audit_probe';
    RAISE EXCEPTION 'create_audit_infrastructure: an audit row was updated';
  EXCEPTION WHEN restrict_violation THEN
    NULL;
  END;
  -- TRUNCATE is not probed: it would take an ACCESS EXCLUSIVE lock on the live log.
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit.audit_log'::regclass AND tgname = '_100_forbid_truncate') THEN
    RAISE EXCEPTION 'create_audit_infrastructure: audit.audit_log can be truncated (trigger _100_forbid_truncate is missing)';
  END IF;
END
$$;
