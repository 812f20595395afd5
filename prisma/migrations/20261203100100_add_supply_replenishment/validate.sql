-- Checks of add_supply_replenishment: the guide's steps 3 (objects), 4 (initial data) and 6 (test
-- insert, audit, phase change), and its post-migration check (c_needs_list_phase), adapted to the
-- client key: the probes belong to a client made for them.
DO $$
DECLARE
  probe_client bigint;
  missing text;
  ev bigint;
  w bigint;
  list bigint;
  n integer;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['replenishment.needs_list', 'replenishment.needs_list_item', 'replenishment.needs_list_audit', 'replenishment.event_phase_config',
                      'replenishment.event_phase_history', 'replenishment.burn_rate_snapshot', 'replenishment.warehouse_sync_log',
                      'replenishment.procurement', 'replenishment.procurement_item', 'replenishment.lead_time_config',
                      'replenishment.v_stock_status', 'replenishment.v_inbound_stock']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'add_supply_replenishment: missing: %', missing;
  END IF;
  SELECT count(*) INTO n FROM pg_trigger WHERE tgname IN ('trg_warehouse_sync_status', 'trg_event_phase_change') AND NOT tgisinternal;
  IF n <> 2 THEN
    RAISE EXCEPTION 'add_supply_replenishment: the guide''s triggers are missing (% of 2)', n;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c_needs_list_phase' AND conrelid = 'replenishment.needs_list'::regclass) THEN
    RAISE EXCEPTION 'add_supply_replenishment: c_needs_list_phase is missing';
  END IF;
  -- Step 4: every client has its default lead times; every event a phase.
  IF EXISTS (SELECT 1 FROM core.client c WHERE (SELECT count(*) FROM replenishment.lead_time_config l WHERE l.client_id = c.id AND l.is_default) <> 3) THEN
    RAISE EXCEPTION 'add_supply_replenishment: a client lacks its three default lead_time_config rows';
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
  PERFORM set_config('app.client_id', probe_client::text, true);
  IF (SELECT count(*) FROM replenishment.lead_time_config WHERE client_id = probe_client AND is_default) <> 3 THEN
    RAISE EXCEPTION 'add_supply_replenishment: a new client did not get its default lead times';
  END IF;
  INSERT INTO catalog.warehouse (code, name) VALUES ('__V1__', 'probe') RETURNING id INTO w;
  INSERT INTO replenishment.event (code, name, event_type) VALUES ('__V__', 'probe', 'FLOOD') RETURNING id INTO ev;

  -- Step 6: the test insert and the status update, as written.
  INSERT INTO replenishment.needs_list (needs_list_no, event_id, warehouse_id, event_phase, calculation_dtime, demand_window_hours,
                                        planning_window_hours, safety_factor, data_freshness_level, status_code, create_by_id, update_by_id)
  VALUES ('NL-TEST-001', ev, w, 'BASELINE', NOW(), 720, 720, 1.25, 'HIGH', 'DRAFT', 'SYSTEM', 'SYSTEM') RETURNING id INTO list;
  UPDATE replenishment.needs_list SET status_code = 'SUBMITTED' WHERE needs_list_no = 'NL-TEST-001';
  IF (SELECT count(*) FROM replenishment.needs_list_audit WHERE needs_list_id = list) <> 2 THEN
    RAISE EXCEPTION 'add_supply_replenishment: the audit trigger did not record the insert and the status change';
  END IF;
  UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = NOW() + interval '1 second', phase_changed_by = 'TEST_USER' WHERE id = ev;
  IF NOT EXISTS (SELECT 1 FROM replenishment.event_phase_history WHERE event_id = ev AND phase = 'SURGE' AND changed_by = 'TEST_USER') THEN
    RAISE EXCEPTION 'add_supply_replenishment: the phase change was not logged';
  END IF;
  -- Post-migration validation 2: the invalid phase.
  BEGIN
    INSERT INTO replenishment.needs_list (needs_list_no, event_id, warehouse_id, event_phase, calculation_dtime, demand_window_hours,
                                          planning_window_hours, safety_factor, create_by_id, update_by_id)
    VALUES ('TEST', ev, w, 'INVALID', NOW(), 10, 10, 1.0, 'TEST', 'TEST');
    RAISE EXCEPTION 'add_supply_replenishment: the phase INVALID was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;
