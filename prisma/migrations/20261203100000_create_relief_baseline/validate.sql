-- Checks of create_relief_baseline: the tables exist with row-level security forced, and the rules hold.
DO $$
DECLARE
  probe_client bigint;
  missing text;
  w bigint;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['replenishment.event', 'replenishment.warehouse_setting', 'replenishment.item_setting', 'replenishment.transfer',
                      'replenishment.transfer_item', 'replenishment.donation', 'replenishment.donation_item']) AS wanted
   WHERE to_regclass(wanted) IS NULL
      OR NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = to_regclass(wanted));
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_relief_baseline: missing, or without forced row-level security: %', missing;
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
  PERFORM set_config('app.client_id', probe_client::text, true);
  INSERT INTO catalog.warehouse (code, name) VALUES ('__V1__', 'probe') RETURNING id INTO w;
  BEGIN
    INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id) VALUES ('__V__', w, w);
    RAISE EXCEPTION 'create_relief_baseline: a transfer from a warehouse to itself was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO replenishment.event (code, name, event_type, status) VALUES ('__V__', 'probe', 'FLOOD', 'UNKNOWN');
    RAISE EXCEPTION 'create_relief_baseline: an event with an unknown status was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;
