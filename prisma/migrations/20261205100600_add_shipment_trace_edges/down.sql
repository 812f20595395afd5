-- Rollback of add_shipment_trace_edges: the trace views and functions as enable_row_level_security
-- left them (word for word; trace_forward's and trace_backward's comments as add_trace_functions
-- wrote them), then the ship-to phone and GLN dropped, their values kept in a backup table first.
DROP VIEW traceability.v_trace_node;
DROP VIEW traceability.v_trace_edge;

CREATE VIEW traceability.v_trace_edge WITH (security_invoker = true) AS
SELECT bi.client_id, 'LOT'::text AS from_kind, bi.ingredient_lot_id AS from_id, 'BATCH'::text AS to_kind, bi.batch_id AS to_id,
       bi.quantity_used AS quantity, bi.consumed_at AS at
  FROM traceability.batch_ingredient bi
 WHERE bi.ingredient_lot_id IS NOT NULL
UNION ALL
SELECT bi.client_id, 'BATCH', bi.input_batch_id, 'BATCH', bi.batch_id, bi.quantity_used, bi.consumed_at
  FROM traceability.batch_ingredient bi
 WHERE bi.input_batch_id IS NOT NULL
UNION ALL
SELECT pc.client_id, 'BATCH', pc.batch_id, 'PALLET', pc.pallet_id, pc.quantity, pc.created_at
  FROM traceability.pallet_content pc;
COMMENT ON VIEW traceability.v_trace_edge IS
  'Every edge of the lot genealogy, with its client: ingredient lot to batch and batch to batch (batch_ingredient), batch to pallet (pallet_content). quantity is in the unit of the from node. security_invoker: row-level security of the tables applies.';

CREATE VIEW traceability.v_trace_node WITH (security_invoker = true) AS
SELECT l.client_id, 'LOT'::text AS kind, l.id, l.tlc AS code, l.tlc, l.received_quantity AS total_quantity, l.unit_of_measure,
       l.quality_status::text AS quality_status, l.status::text AS status, l.warehouse_id, l.supplier_id
  FROM traceability.ingredient_lot l
UNION ALL
SELECT b.client_id, 'BATCH', b.id, b.batch_number, b.tlc, b.actual_quantity, b.unit_of_measure, b.quality_status::text, b.status::text, r.warehouse_id, NULL
  FROM traceability.batch b
  JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
UNION ALL
SELECT p.client_id, 'PALLET', p.id, coalesce(p.sscc, p.pallet_number), NULL,
       (SELECT sum(c.quantity) FROM traceability.pallet_content c WHERE c.client_id = p.client_id AND c.pallet_id = p.id),
       NULL, NULL, p.status::text, p.warehouse_id, NULL
  FROM traceability.pallet p;
COMMENT ON VIEW traceability.v_trace_node IS
  'Every node of the lot genealogy, with its client: ingredient lots (code = TLC), batches (code = batch number), pallets (code = SSCC, else pallet number), with total quantity, statuses, warehouse and (lots) supplier. security_invoker: row-level security of the tables applies.';

COMMENT ON FUNCTION traceability.walk_forward(text, bigint, integer) IS
  'The forward walk behind trace_forward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and pallet a LOT or BATCH of the client app.client_id names reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';
COMMENT ON FUNCTION traceability.walk_backward(text, bigint, integer) IS
  'The backward walk behind trace_backward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and ingredient lot a BATCH or PALLET of the client app.client_id names came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';
COMMENT ON FUNCTION traceability.trace_forward(text, bigint, integer) IS
  'Forward trace (recall): every batch and pallet a LOT or BATCH reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut. Planned once per session.';
COMMENT ON FUNCTION traceability.trace_backward(text, bigint, integer) IS
  'Backward trace (root cause): every batch and ingredient lot a BATCH or PALLET came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut. Planned once per session.';

DROP FUNCTION traceability.report_recall(text);
CREATE OR REPLACE FUNCTION traceability.report_recall(recalled_tlc text)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, tlc text, quality_status text, status text, recalled_quantity numeric,
               unit_of_measure text, warehouse_id bigint, warehouse_code text, on_hand numeric, consumed numeric)
LANGUAGE plpgsql
STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
BEGIN
  RETURN QUERY
  WITH start AS (
    SELECT 'LOT'::text AS kind, l.id FROM traceability.ingredient_lot l WHERE l.client_id = client AND l.tlc = recalled_tlc
    UNION ALL
    SELECT 'BATCH', b.id FROM traceability.batch b WHERE b.client_id = client AND b.tlc = recalled_tlc
  )
  SELECT t.depth, t.node_kind, t.node_id, t.code, n.tlc, t.quality_status, t.status, t.quantity, t.unit_of_measure, n.warehouse_id, w.code,
         CASE t.node_kind
           WHEN 'LOT' THEN u.received_quantity - u.consumed_quantity
           WHEN 'BATCH' THEN coalesce(u.actual_quantity, 0) - u.consumed_quantity - u.palletised_quantity
           ELSE CASE WHEN t.status IN ('BUILDING', 'STORED') THEN n.total_quantity ELSE 0 END
         END,
         CASE WHEN t.node_kind IN ('LOT', 'BATCH') THEN u.consumed_quantity ELSE 0 END
    FROM start s
   CROSS JOIN LATERAL traceability.walk_forward(s.kind, s.id) t
   CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.client_id = client AND n.kind = t.node_kind AND n.id = t.node_id OFFSET 0) n
    -- What is used of a lot or a batch (the same columns in both, NULL for a pallet).
    LEFT JOIN LATERAL (
      SELECT l.received_quantity, NULL::numeric AS actual_quantity, l.consumed_quantity, 0::numeric AS palletised_quantity
        FROM traceability.ingredient_lot l WHERE t.node_kind = 'LOT' AND l.client_id = client AND l.id = t.node_id
      UNION ALL
      SELECT NULL, b.actual_quantity, b.consumed_quantity, b.palletised_quantity
        FROM traceability.batch b WHERE t.node_kind = 'BATCH' AND b.client_id = client AND b.id = t.node_id
      OFFSET 0
    ) u ON true
    LEFT JOIN catalog.warehouse w ON w.client_id = client AND w.id = n.warehouse_id
   ORDER BY t.depth, t.node_kind, t.code;
END
$$;
COMMENT ON FUNCTION traceability.report_recall(text) IS
  'Recall report for a TLC (ingredient lot or batch) of the client app.client_id names: every lot, batch and pallet it reached, with statuses, the prorated quantity of the recalled lot in it, and what is still on hand where (lots and unpalletised batches in their warehouse, pallets not shipped in theirs) and what was consumed. Nothing without a client.';

DROP FUNCTION traceability.export_fsma_records(text, date, date);
CREATE OR REPLACE FUNCTION traceability.export_fsma_records(lot_code text, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (event_id text, event_type text, event_role text, traceability_lot_code text, product_description text, quantity numeric,
               unit_of_measure text, event_date date, location_description text, previous_source_description text,
               tlc_source_description text, tlc_source_reference text, reference_document_type text, reference_document_number text,
               is_ftl_food boolean, missing_kdes text[])
LANGUAGE sql
STABLE
AS $$
  WITH client AS (
    SELECT NULLIF(current_setting('app.client_id', true), '')::bigint AS id
  ),
  transformation AS (
    SELECT b.id FROM client, traceability.batch b WHERE b.client_id = client.id AND b.tlc = lot_code
    UNION
    SELECT bi.batch_id FROM client, traceability.batch_ingredient bi
      JOIN traceability.ingredient_lot l ON l.client_id = bi.client_id AND l.id = bi.ingredient_lot_id
     WHERE bi.client_id = client.id AND l.tlc = lot_code
    UNION
    SELECT bi.batch_id FROM client, traceability.batch_ingredient bi
      JOIN traceability.batch ib ON ib.client_id = bi.client_id AND ib.id = bi.input_batch_id
     WHERE bi.client_id = client.id AND ib.tlc = lot_code
  ),
  event AS (
    -- Receiving (21 CFR 1.1345) of the ingredient lot with this TLC.
    SELECT 'RECEIVING-' || l.id AS event_id, 'RECEIVING' AS event_type, NULL::text AS event_role, l.tlc, i.name::text AS product_description,
           l.received_quantity AS quantity, l.unit_of_measure, (l.received_at AT TIME ZONE 'UTC')::date AS event_date,
           traceability.describe_location(w.name, w.address, w.phone, w.gln) AS location_description,
           traceability.describe_location(s.name, s.address, coalesce(s.contact_phone, s.phone), s.gln) AS previous_source_description,
           l.tlc_source_location AS tlc_source_description, l.tlc_source_reference, l.reference_document_type::text AS reference_document_type,
           l.reference_document_number, i.is_ftl_food
      FROM client
      JOIN traceability.ingredient_lot l ON l.client_id = client.id
      JOIN traceability.ingredient i ON i.client_id = l.client_id AND i.id = l.ingredient_id
      JOIN catalog.supplier s ON s.client_id = l.client_id AND s.id = l.supplier_id
      LEFT JOIN catalog.warehouse w ON w.client_id = l.client_id AND w.id = l.warehouse_id
     WHERE l.tlc = lot_code
    UNION ALL
    -- Transformation (21 CFR 1.1350): one row per input lot or batch ...
    SELECT 'TRANSFORMATION-' || b.id, 'TRANSFORMATION', 'INPUT', coalesce(l.tlc, ib.tlc), coalesce(i.name::text, ip.name, ir.name),
           bi.quantity_used, bi.unit_of_measure, (b.produced_at AT TIME ZONE 'UTC')::date,
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, NULL, NULL, NULL, NULL,
           coalesce(i.is_ftl_food, traceability.has_ftl_food_input(ib.id))
      FROM client
      JOIN transformation t ON true
      JOIN traceability.batch b ON b.client_id = client.id AND b.id = t.id
      JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
      LEFT JOIN catalog.warehouse w ON w.client_id = r.client_id AND w.id = r.warehouse_id
      JOIN traceability.batch_ingredient bi ON bi.client_id = b.client_id AND bi.batch_id = b.id
      LEFT JOIN traceability.ingredient_lot l ON l.client_id = bi.client_id AND l.id = bi.ingredient_lot_id
      LEFT JOIN traceability.ingredient i ON i.client_id = l.client_id AND i.id = l.ingredient_id
      LEFT JOIN traceability.batch ib ON ib.client_id = bi.client_id AND ib.id = bi.input_batch_id
      LEFT JOIN catalog.product ip ON ip.client_id = ib.client_id AND ip.id = ib.product_id
      LEFT JOIN traceability.production_run irr ON irr.client_id = ib.client_id AND irr.id = ib.production_run_id
      LEFT JOIN traceability.recipe ir ON ir.client_id = irr.client_id AND ir.id = irr.recipe_id
    UNION ALL
    -- ... and one for its output, the new TLC, whose source is the transformation location.
    SELECT 'TRANSFORMATION-' || b.id, 'TRANSFORMATION', 'OUTPUT', b.tlc, coalesce(p.name, rc.name), b.actual_quantity, b.unit_of_measure,
           (b.produced_at AT TIME ZONE 'UTC')::date, traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL,
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, 'PRODUCTION_RECORD', b.batch_number,
           traceability.has_ftl_food_input(b.id)
      FROM client
      JOIN transformation t ON true
      JOIN traceability.batch b ON b.client_id = client.id AND b.id = t.id
      JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
      JOIN traceability.recipe rc ON rc.client_id = r.client_id AND rc.id = r.recipe_id
      LEFT JOIN catalog.product p ON p.client_id = b.client_id AND p.id = b.product_id
      LEFT JOIN catalog.warehouse w ON w.client_id = r.client_id AND w.id = r.warehouse_id
  )
  SELECT e.event_id, e.event_type, e.event_role, e.tlc, e.product_description, e.quantity, e.unit_of_measure, e.event_date,
         e.location_description, e.previous_source_description, e.tlc_source_description, e.tlc_source_reference,
         e.reference_document_type, e.reference_document_number, e.is_ftl_food,
         CASE WHEN e.is_ftl_food THEN array_remove(ARRAY[
           CASE WHEN e.tlc IS NULL THEN 'traceability_lot_code' END,
           CASE WHEN e.product_description IS NULL THEN 'product_description' END,
           CASE WHEN e.quantity IS NULL THEN 'quantity' END,
           CASE WHEN e.unit_of_measure IS NULL THEN 'unit_of_measure' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.event_date IS NULL THEN 'event_date' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.location_description IS NULL THEN 'location_description' END,
           CASE WHEN e.event_type = 'RECEIVING' AND e.previous_source_description IS NULL THEN 'previous_source_description' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.tlc_source_description IS NULL AND e.tlc_source_reference IS NULL
                THEN 'tlc_source_description' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.reference_document_type IS NULL THEN 'reference_document_type' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.reference_document_number IS NULL THEN 'reference_document_number' END
         ], NULL) ELSE '{}'::text[] END
    FROM event e
   WHERE (from_date IS NULL OR e.event_date >= from_date) AND (to_date IS NULL OR e.event_date <= to_date)
   ORDER BY e.event_date, e.event_id, e.event_role NULLS FIRST, e.tlc
$$;
COMMENT ON FUNCTION traceability.export_fsma_records(text, date, date) IS
  'FSMA 204 records for a TLC of the client app.client_id names, as an electronic sortable spreadsheet: one row per critical tracking event (receiving, and each input and the output of a transformation sharing an event id) between two dates, with its key data elements and, for FTL foods, the required ones that are missing. Nothing without a client.';

ALTER VIEW traceability.v_trace_edge OWNER TO supply_ledger_owner;
ALTER VIEW traceability.v_trace_node OWNER TO supply_ledger_owner;
REVOKE ALL ON traceability.v_trace_edge, traceability.v_trace_node FROM supply_ledger_app, supply_ledger_readonly;
GRANT SELECT ON traceability.v_trace_edge, traceability.v_trace_node TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
ALTER FUNCTION traceability.report_recall(text) OWNER TO supply_ledger_owner;
ALTER FUNCTION traceability.export_fsma_records(text, date, date) OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION traceability.report_recall(text), traceability.export_fsma_records(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION traceability.report_recall(text), traceability.export_fsma_records(text, date, date) TO supply_ledger_app, supply_ledger_readonly;

SELECT backup.preserve('fulfillment_order_request_ship_to_20261205100600',
  'SELECT client_id, id, ship_to_phone, ship_to_gln FROM fulfillment.order_request WHERE num_nonnulls(ship_to_phone, ship_to_gln) > 0');
ALTER TABLE "fulfillment"."order_request" DROP CONSTRAINT "order_request_ship_to_gln_check";
ALTER TABLE "fulfillment"."order_request" DROP COLUMN "ship_to_gln",
  DROP COLUMN "ship_to_phone";
