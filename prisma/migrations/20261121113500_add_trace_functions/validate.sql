-- Checks of add_trace_functions, on a probe genealogy (validate.sql always runs rolled back):
-- lot L (100 kg, FTL) -> 40 kg into batch B (200 units) -> 50 units on pallet P.
DO $$
DECLARE
  probe_client bigint;
  supplier_id bigint;
  ingredient_id bigint;
  lot_id bigint;
  run_id bigint;
  batch_id bigint;
  pallet_id bigint;
  found text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO found
    FROM unnest(ARRAY['traceability.trace_forward(text,bigint,integer)', 'traceability.trace_backward(text,bigint,integer)',
                      'traceability.report_recall(text)', 'traceability.export_fsma_records(text,date,date)']) AS wanted
   WHERE to_regprocedure(wanted) IS NULL;
  IF found IS NOT NULL OR to_regclass('traceability.v_trace_edge') IS NULL THEN
    RAISE EXCEPTION 'add_trace_functions: missing: %', coalesce(found, 'traceability.v_trace_edge');
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  INSERT INTO catalog.supplier (code, name) VALUES ('__validate__', 'Probe supplier') RETURNING id INTO supplier_id;
  INSERT INTO traceability.ingredient (name, is_ftl_food) VALUES ('__validate__', true) RETURNING id INTO ingredient_id;
  INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, supplier_lot_code, tlc, received_quantity, unit_of_measure, received_at)
  VALUES (ingredient_id, supplier_id, 'L', '__validate_lot__', 100, 'kg', now() - interval '2 days') RETURNING id INTO lot_id;
  UPDATE traceability.ingredient_lot SET quality_status = 'PASSED' WHERE id = lot_id;
  INSERT INTO traceability.recipe (name, created_by) VALUES ('__validate__', 'validate') RETURNING id INTO run_id;
  INSERT INTO traceability.production_run (recipe_id) VALUES (run_id) RETURNING id INTO run_id;
  INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, actual_quantity, status, produced_at)
  VALUES (run_id, '__validate_batch__', '__validate_batch__', 200, 200, 'COMPLETED', now() - interval '1 day') RETURNING id INTO batch_id;
  INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at) VALUES (batch_id, lot_id, 40, now() - interval '1 day');
  INSERT INTO traceability.pallet (pallet_number) VALUES ('__validate__') RETURNING id INTO pallet_id;
  INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity) VALUES (pallet_id, batch_id, 50);

  SELECT string_agg(format('%s %s %s %s', node_kind, depth, quantity, cycle), '; ' ORDER BY depth) INTO found
    FROM traceability.trace_forward('LOT', lot_id);
  IF found IS DISTINCT FROM 'LOT 0 100.0000 f; BATCH 1 40.0000 f; PALLET 2 10.0000 f' THEN
    RAISE EXCEPTION 'add_trace_functions: forward trace of the probe lot gave %', found;
  END IF;
  SELECT string_agg(format('%s %s %s %s', node_kind, depth, quantity, coalesce(supplier_name, '-')), '; ' ORDER BY depth) INTO found
    FROM traceability.trace_backward('PALLET', pallet_id);
  IF found IS DISTINCT FROM 'PALLET 0 50.0000 -; BATCH 1 50.0000 -; LOT 2 10.0000 Probe supplier' THEN
    RAISE EXCEPTION 'add_trace_functions: backward trace of the probe pallet gave %', found;
  END IF;
  SELECT string_agg(format('%s %s', node_kind, on_hand), '; ' ORDER BY depth) INTO found FROM traceability.report_recall('__validate_lot__');
  IF found IS DISTINCT FROM 'LOT 60.0000; BATCH 150.0000; PALLET 50.0000' THEN
    RAISE EXCEPTION 'add_trace_functions: recall report of the probe lot gave %', found;
  END IF;
  SELECT string_agg(format('%s %s', event_type, coalesce(event_role, '-')), '; ' ORDER BY event_date, event_role NULLS FIRST) INTO found
    FROM traceability.export_fsma_records('__validate_lot__');
  IF found IS DISTINCT FROM 'RECEIVING -; TRANSFORMATION INPUT; TRANSFORMATION OUTPUT' THEN
    RAISE EXCEPTION 'add_trace_functions: FSMA export of the probe lot gave %', found;
  END IF;
END
$$;
