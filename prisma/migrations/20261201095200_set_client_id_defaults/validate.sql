-- Checks of set_client_id_defaults: every client_id column of a tenant table defaults to the
-- client of the setting app.client_id, read fail-closed: nothing without one (probed with writes:
-- validate.sql always runs rolled back).
DO $$
DECLARE
  wrong text;
  probe_client bigint;
  probe bigint;
  stamped bigint;
BEGIN
  SELECT string_agg(format('%s (%s)', a.attrelid::regclass, coalesce(pg_get_expr(d.adbin, d.adrelid), 'no default')), ', ' ORDER BY a.attrelid::regclass::text)
    INTO wrong
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid AND c.relkind = 'r'
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attname = 'client_id' AND NOT a.attisdropped AND c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'inventory', 'traceability')
     AND pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM '(NULLIF(current_setting(''app.client_id''::text, true), ''''::text))::bigint';
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'set_client_id_defaults: client_id columns not defaulting to the setting app.client_id: %', wrong;
  END IF;

  -- Under a client, a row needs no client_id; with no client set (unset, or reset to ''), it is refused.
  INSERT INTO core.client (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe_client;
  PERFORM set_config('app.client_id', probe_client::text, true);
  INSERT INTO catalog.brand (name) VALUES ('__validate__') RETURNING id, client_id INTO probe, stamped;
  IF stamped IS DISTINCT FROM probe_client THEN
    RAISE EXCEPTION 'set_client_id_defaults: a brand inserted for client % belongs to client %', probe_client, stamped;
  END IF;
  PERFORM set_config('app.client_id', '', true);
  BEGIN
    INSERT INTO catalog.brand (name) VALUES ('__validate_none__');
    RAISE EXCEPTION 'set_client_id_defaults: a brand was inserted with no client set';
  EXCEPTION WHEN not_null_violation THEN
    NULL;
  END;
END
$$;
