-- Checks of add_shipment_trace_edges: the ship-to phone and GLN with their check, the trace views
-- with the shipment edges and node (security_invoker still), report_recall and export_fsma_records
-- with their shipment columns, callable by the application role and not by PUBLIC.
DO $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(c, ', ') INTO missing
    FROM unnest(ARRAY['ship_to_phone', 'ship_to_gln']) c
   WHERE NOT EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = 'fulfillment' AND table_name = 'order_request' AND column_name = c);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: fulfillment.order_request lacks %', missing;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'fulfillment.order_request'::regclass AND conname = 'order_request_ship_to_gln_check') THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: order_request_ship_to_gln_check is missing';
  END IF;

  -- The edge view reads shipment_item's pallet_id and batch_id, and has shipments at their ends.
  IF (SELECT count(DISTINCT a.attname) FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       WHERE r.ev_class = 'traceability.v_trace_edge'::regclass AND d.refobjid = 'fulfillment.shipment_item'::regclass
         AND a.attname IN ('pallet_id', 'batch_id', 'shipment_id')) <> 3
     OR pg_get_viewdef('traceability.v_trace_edge') NOT LIKE '%''SHIPMENT''::text%' THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: traceability.v_trace_edge has no PALLET -> SHIPMENT or BATCH -> SHIPMENT edge';
  END IF;
  SELECT string_agg(c, ', ') INTO missing
    FROM unnest(ARRAY['order_number', 'carrier_code', 'tracking_number', 'shipped_at', 'delivered_at', 'customer_name', 'customer_reference',
                      'ship_to_address']) c
   WHERE NOT EXISTS (SELECT 1 FROM information_schema.columns
                      WHERE table_schema = 'traceability' AND table_name = 'v_trace_node' AND column_name = c);
  IF missing IS NOT NULL OR pg_get_viewdef('traceability.v_trace_node') NOT LIKE '%''SHIPMENT''::text%' THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: traceability.v_trace_node has no SHIPMENT node or lacks %', coalesce(missing, 'nothing else');
  END IF;
  IF EXISTS (SELECT 1 FROM pg_class WHERE oid IN ('traceability.v_trace_edge'::regclass, 'traceability.v_trace_node'::regclass)
                AND NOT coalesce('security_invoker=true' = ANY (reloptions), false)) THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: the trace views are not security_invoker';
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = 'traceability.report_recall(text)'::regprocedure
                    AND 'customer_name' = ANY (proargnames) AND 'ship_to_address' = ANY (proargnames) AND 'shipped_at' = ANY (proargnames)) THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: traceability.report_recall does not report shipments and their customers';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = 'traceability.export_fsma_records(text, date, date)'::regprocedure
                    AND 'subsequent_recipient_description' = ANY (proargnames)
                    AND prosrc LIKE '%''SHIPPING''%') THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: traceability.export_fsma_records has no SHIPPING event';
  END IF;
  IF NOT has_function_privilege('supply_ledger_app', 'traceability.report_recall(text)', 'EXECUTE')
     OR NOT has_function_privilege('supply_ledger_app', 'traceability.export_fsma_records(text, date, date)', 'EXECUTE')
     OR has_function_privilege('public', 'traceability.report_recall(text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: report_recall / export_fsma_records privileges are not the application''s only';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_proc WHERE oid IN ('traceability.report_recall(text)'::regprocedure, 'traceability.export_fsma_records(text, date, date)'::regprocedure)
                AND NOT coalesce('jit=off' = ANY (proconfig), false)) THEN
    RAISE EXCEPTION 'add_shipment_trace_edges: report_recall / export_fsma_records would be JIT-compiled (jit is not off)';
  END IF;
END
$$;
