-- Rollback of enable_row_level_security: the policies go and row-level security is off again;
-- the trace views and functions and post_stock_count are as swap_tenant_keys and create_roles left
-- them (every client's rows), and core.find_client_id() goes. No data changes.
DROP FUNCTION core.find_client_id(text);

CREATE OR REPLACE FUNCTION inventory.post_stock_count(count_id bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  stock_count inventory.stock_count;
  line record;
  on_hand numeric;
  average numeric;
  difference numeric;
  movement_id bigint;
  posted integer := 0;
BEGIN
  SELECT * INTO stock_count FROM inventory.stock_count WHERE id = count_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stock count % does not exist', count_id USING ERRCODE = 'no_data_found';
  END IF;
  IF stock_count.status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is % and cannot be posted', count_id, stock_count.status USING ERRCODE = 'restrict_violation';
  END IF;

  -- Lines in product order, the order every writer locks levels in (no deadlocks between postings).
  FOR line IN
    SELECT * FROM inventory.stock_count_line WHERE client_id = stock_count.client_id AND stock_count_id = count_id ORDER BY product_id
  LOOP
    SELECT qty_on_hand, cost_price INTO on_hand, average
      FROM inventory.stock_level
     WHERE client_id = stock_count.client_id AND product_id = line.product_id AND warehouse_id = stock_count.warehouse_id
       FOR UPDATE;
    on_hand := coalesce(on_hand, 0);
    difference := line.counted_qty - on_hand;
    movement_id := NULL;
    IF difference > 0 AND coalesce(average, line.unit_cost) IS NULL THEN
      RAISE EXCEPTION 'stock count %: product % was counted % more than on hand, and neither its stock level nor the count line has a cost', count_id, line.product_id, difference
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_inbound_cost_check';
    END IF;
    IF difference <> 0 THEN
      INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason, occurred_at)
      VALUES (stock_count.client_id, CASE WHEN difference > 0 THEN 'ADJUSTMENT_IN' ELSE 'ADJUSTMENT_OUT' END::inventory.movement_type,
              line.product_id, stock_count.warehouse_id, difference,
              CASE WHEN difference > 0 THEN coalesce(average, line.unit_cost) END,
              'STOCK_COUNT', count_id::text, 'stock count difference', stock_count.counted_at)
      RETURNING id INTO movement_id;
      posted := posted + 1;
    END IF;
    UPDATE inventory.stock_count_line SET system_qty = on_hand, adjustment_movement_id = movement_id
     WHERE client_id = stock_count.client_id AND id = line.id;
  END LOOP;

  UPDATE inventory.stock_count c SET status = 'POSTED', posted_at = now() WHERE c.client_id = stock_count.client_id AND c.id = count_id;
  RETURN posted;
END
$$;
COMMENT ON FUNCTION inventory.post_stock_count(bigint) IS
  'Posts an OPEN stock count: one ADJUSTMENT_IN/ADJUSTMENT_OUT movement per line whose counted quantity differs from on hand (gains at the level cost, else the line cost), records on-hand and the movement on each line, marks the count POSTED. Works on the rows of the count''s client only. Returns how many movements it posted.';

DROP VIEW traceability.v_trace_node;
DROP VIEW traceability.v_trace_edge;
CREATE VIEW traceability.v_trace_edge AS
SELECT 'LOT'::text AS from_kind, bi.ingredient_lot_id AS from_id, 'BATCH'::text AS to_kind, bi.batch_id AS to_id,
       bi.quantity_used AS quantity, bi.consumed_at AS at
  FROM traceability.batch_ingredient bi
 WHERE bi.ingredient_lot_id IS NOT NULL
UNION ALL
SELECT 'BATCH', bi.input_batch_id, 'BATCH', bi.batch_id, bi.quantity_used, bi.consumed_at
  FROM traceability.batch_ingredient bi
 WHERE bi.input_batch_id IS NOT NULL
UNION ALL
SELECT 'BATCH', pc.batch_id, 'PALLET', pc.pallet_id, pc.quantity, pc.created_at
  FROM traceability.pallet_content pc;
COMMENT ON VIEW traceability.v_trace_edge IS
  'Every edge of the lot genealogy: ingredient lot to batch and batch to batch (batch_ingredient), batch to pallet (pallet_content). quantity is in the unit of the from node.';

CREATE VIEW traceability.v_trace_node AS
SELECT 'LOT'::text AS kind, l.id, l.tlc AS code, l.tlc, l.received_quantity AS total_quantity, l.unit_of_measure,
       l.quality_status::text AS quality_status, l.status::text AS status, l.warehouse_id, l.supplier_id
  FROM traceability.ingredient_lot l
UNION ALL
SELECT 'BATCH', b.id, b.batch_number, b.tlc, b.actual_quantity, b.unit_of_measure, b.quality_status::text, b.status::text, r.warehouse_id, NULL
  FROM traceability.batch b
  JOIN traceability.production_run r ON r.id = b.production_run_id
UNION ALL
SELECT 'PALLET', p.id, coalesce(p.sscc, p.pallet_number), NULL, (SELECT sum(c.quantity) FROM traceability.pallet_content c WHERE c.pallet_id = p.id),
       NULL, NULL, p.status::text, p.warehouse_id, NULL
  FROM traceability.pallet p;
COMMENT ON VIEW traceability.v_trace_node IS
  'Every node of the lot genealogy: ingredient lots (code = TLC), batches (code = batch number), pallets (code = SSCC, else pallet number), with total quantity, statuses, warehouse and (lots) supplier.';

ALTER VIEW traceability.v_trace_edge OWNER TO supply_ledger_owner;
ALTER VIEW traceability.v_trace_node OWNER TO supply_ledger_owner;
REVOKE ALL ON traceability.v_trace_edge, traceability.v_trace_node FROM supply_ledger_app, supply_ledger_readonly;
GRANT SELECT ON traceability.v_trace_edge, traceability.v_trace_node TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;

CREATE OR REPLACE FUNCTION traceability.walk_forward(start_kind text, start_id bigint, max_depth integer DEFAULT 50)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, quantity numeric, unit_of_measure text, quality_status text,
               status text, parent_kind text, parent_id bigint, paths bigint, cycle boolean)
LANGUAGE sql
STABLE
AS $$
  WITH RECURSIVE walk (depth, kind, id, code, amount, total, unit_of_measure, quality_status, status, parent_kind, parent_id) AS (
    SELECT 0, n.kind, n.id, n.code, n.total_quantity, n.total_quantity, n.unit_of_measure, n.quality_status, n.status, NULL::text, NULL::bigint
      FROM traceability.v_trace_node n
     WHERE n.kind = start_kind AND n.id = start_id
    UNION ALL
    SELECT w.depth + 1, n.kind, n.id, n.code, w.amount * e.quantity / nullif(w.total, 0), n.total_quantity, n.unit_of_measure,
           n.quality_status, n.status, w.kind, w.id
      FROM walk w
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_edge e WHERE e.from_kind = w.kind AND e.from_id = w.id OFFSET 0) e
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.kind = e.to_kind AND n.id = e.to_id OFFSET 0) n
     WHERE w.depth < max_depth
  ) CYCLE kind, id SET is_cycle USING path
  SELECT min(w.depth)::integer, w.kind, w.id, w.code, round(sum(w.amount) FILTER (WHERE NOT w.is_cycle), 4), w.unit_of_measure,
         w.quality_status, w.status, (array_agg(w.parent_kind ORDER BY w.depth))[1], (array_agg(w.parent_id ORDER BY w.depth))[1],
         count(*) FILTER (WHERE NOT w.is_cycle), bool_or(w.is_cycle)
    FROM walk w
   GROUP BY w.kind, w.id, w.code, w.unit_of_measure, w.quality_status, w.status
   ORDER BY 1, 2, 4
$$;
COMMENT ON FUNCTION traceability.walk_forward(text, bigint, integer) IS
  'The forward walk behind trace_forward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and pallet a LOT or BATCH reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut.';

CREATE OR REPLACE FUNCTION traceability.walk_backward(start_kind text, start_id bigint, max_depth integer DEFAULT 50)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, quantity numeric, unit_of_measure text, quality_status text,
               status text, supplier_id bigint, supplier_name text, child_kind text, child_id bigint, paths bigint, cycle boolean)
LANGUAGE sql
STABLE
AS $$
  WITH RECURSIVE walk (depth, kind, id, code, fraction, amount, unit_of_measure, quality_status, status, supplier_id, child_kind, child_id) AS (
    SELECT 0, n.kind, n.id, n.code, 1::numeric, n.total_quantity, n.unit_of_measure, n.quality_status, n.status, n.supplier_id, NULL::text, NULL::bigint
      FROM traceability.v_trace_node n
     WHERE n.kind = start_kind AND n.id = start_id
    UNION ALL
    SELECT w.depth + 1, n.kind, n.id, n.code, w.fraction * e.quantity / nullif(n.total_quantity, 0), w.fraction * e.quantity, n.unit_of_measure,
           n.quality_status, n.status, n.supplier_id, w.kind, w.id
      FROM walk w
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_edge e WHERE e.to_kind = w.kind AND e.to_id = w.id OFFSET 0) e
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.kind = e.from_kind AND n.id = e.from_id OFFSET 0) n
     WHERE w.depth < max_depth
  ) CYCLE kind, id SET is_cycle USING path
  SELECT t.depth, t.kind, t.id, t.code, t.quantity, t.unit_of_measure, t.quality_status, t.status, t.supplier_id, s.name,
         t.child_kind, t.child_id, t.paths, t.cycle
    FROM (SELECT min(w.depth)::integer AS depth, w.kind, w.id, w.code, round(sum(w.amount) FILTER (WHERE NOT w.is_cycle), 4) AS quantity,
                 w.unit_of_measure, w.quality_status, w.status, w.supplier_id, (array_agg(w.child_kind ORDER BY w.depth))[1] AS child_kind,
                 (array_agg(w.child_id ORDER BY w.depth))[1] AS child_id, count(*) FILTER (WHERE NOT w.is_cycle) AS paths, bool_or(w.is_cycle) AS cycle
            FROM walk w
           GROUP BY w.kind, w.id, w.code, w.unit_of_measure, w.quality_status, w.status, w.supplier_id) t
    LEFT JOIN catalog.supplier s ON s.id = t.supplier_id
   ORDER BY 1, 2, 4
$$;
COMMENT ON FUNCTION traceability.walk_backward(text, bigint, integer) IS
  'The backward walk behind trace_backward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and ingredient lot a BATCH or PALLET came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut.';

CREATE OR REPLACE FUNCTION traceability.report_recall(recalled_tlc text)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, tlc text, quality_status text, status text, recalled_quantity numeric,
               unit_of_measure text, warehouse_id bigint, warehouse_code text, on_hand numeric, consumed numeric)
LANGUAGE plpgsql
STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY
  WITH start AS (
    SELECT 'LOT'::text AS kind, l.id FROM traceability.ingredient_lot l WHERE l.tlc = recalled_tlc
    UNION ALL
    SELECT 'BATCH', b.id FROM traceability.batch b WHERE b.tlc = recalled_tlc
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
   CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.kind = t.node_kind AND n.id = t.node_id OFFSET 0) n
    -- What is used of a lot or a batch (the same columns in both, NULL for a pallet).
    LEFT JOIN LATERAL (
      SELECT l.received_quantity, NULL::numeric AS actual_quantity, l.consumed_quantity, 0::numeric AS palletised_quantity
        FROM traceability.ingredient_lot l WHERE t.node_kind = 'LOT' AND l.id = t.node_id
      UNION ALL
      SELECT NULL, b.actual_quantity, b.consumed_quantity, b.palletised_quantity
        FROM traceability.batch b WHERE t.node_kind = 'BATCH' AND b.id = t.node_id
      OFFSET 0
    ) u ON true
    LEFT JOIN catalog.warehouse w ON w.id = n.warehouse_id
   ORDER BY t.depth, t.node_kind, t.code;
END
$$;
COMMENT ON FUNCTION traceability.report_recall(text) IS
  'Recall report for a TLC (ingredient lot or batch): every lot, batch and pallet it reached, with statuses, the prorated quantity of the recalled lot in it, and what is still on hand where (lots and unpalletised batches in their warehouse, pallets not shipped in theirs) and what was consumed.';

CREATE OR REPLACE FUNCTION traceability.has_ftl_food_input(batch_id bigint)
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
  SELECT EXISTS (
    SELECT 1 FROM traceability.walk_backward('BATCH', batch_id) t
      JOIN traceability.ingredient_lot l ON t.node_kind = 'LOT' AND l.id = t.node_id
      JOIN traceability.ingredient i ON i.id = l.ingredient_id
     WHERE i.is_ftl_food)
$$;
COMMENT ON FUNCTION traceability.has_ftl_food_input(bigint) IS
  'True when any ingredient lot the batch came from, at any depth, is a food on the FDA Food Traceability List.';

CREATE OR REPLACE FUNCTION traceability.export_fsma_records(lot_code text, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (event_id text, event_type text, event_role text, traceability_lot_code text, product_description text, quantity numeric,
               unit_of_measure text, event_date date, location_description text, previous_source_description text,
               tlc_source_description text, tlc_source_reference text, reference_document_type text, reference_document_number text,
               is_ftl_food boolean, missing_kdes text[])
LANGUAGE sql
STABLE
AS $$
  WITH transformation AS (
    SELECT b.id FROM traceability.batch b WHERE b.tlc = lot_code
    UNION
    SELECT bi.batch_id FROM traceability.batch_ingredient bi JOIN traceability.ingredient_lot l ON l.id = bi.ingredient_lot_id WHERE l.tlc = lot_code
    UNION
    SELECT bi.batch_id FROM traceability.batch_ingredient bi JOIN traceability.batch ib ON ib.id = bi.input_batch_id WHERE ib.tlc = lot_code
  ),
  event AS (
    -- Receiving (21 CFR 1.1345) of the ingredient lot with this TLC.
    SELECT 'RECEIVING-' || l.id AS event_id, 'RECEIVING' AS event_type, NULL::text AS event_role, l.tlc, i.name::text AS product_description,
           l.received_quantity AS quantity, l.unit_of_measure, (l.received_at AT TIME ZONE 'UTC')::date AS event_date,
           traceability.describe_location(w.name, w.address, w.phone, w.gln) AS location_description,
           traceability.describe_location(s.name, s.address, coalesce(s.contact_phone, s.phone), s.gln) AS previous_source_description,
           l.tlc_source_location AS tlc_source_description, l.tlc_source_reference, l.reference_document_type::text AS reference_document_type,
           l.reference_document_number, i.is_ftl_food
      FROM traceability.ingredient_lot l
      JOIN traceability.ingredient i ON i.id = l.ingredient_id
      JOIN catalog.supplier s ON s.id = l.supplier_id
      LEFT JOIN catalog.warehouse w ON w.id = l.warehouse_id
     WHERE l.tlc = lot_code
    UNION ALL
    -- Transformation (21 CFR 1.1350): one row per input lot or batch ...
    SELECT 'TRANSFORMATION-' || b.id, 'TRANSFORMATION', 'INPUT', coalesce(l.tlc, ib.tlc), coalesce(i.name::text, ip.name, ir.name),
           bi.quantity_used, bi.unit_of_measure, (b.produced_at AT TIME ZONE 'UTC')::date,
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, NULL, NULL, NULL, NULL,
           coalesce(i.is_ftl_food, traceability.has_ftl_food_input(ib.id))
      FROM transformation t
      JOIN traceability.batch b ON b.id = t.id
      JOIN traceability.production_run r ON r.id = b.production_run_id
      LEFT JOIN catalog.warehouse w ON w.id = r.warehouse_id
      JOIN traceability.batch_ingredient bi ON bi.batch_id = b.id
      LEFT JOIN traceability.ingredient_lot l ON l.id = bi.ingredient_lot_id
      LEFT JOIN traceability.ingredient i ON i.id = l.ingredient_id
      LEFT JOIN traceability.batch ib ON ib.id = bi.input_batch_id
      LEFT JOIN catalog.product ip ON ip.id = ib.product_id
      LEFT JOIN traceability.production_run irr ON irr.id = ib.production_run_id
      LEFT JOIN traceability.recipe ir ON ir.id = irr.recipe_id
    UNION ALL
    -- ... and one for its output, the new TLC, whose source is the transformation location.
    SELECT 'TRANSFORMATION-' || b.id, 'TRANSFORMATION', 'OUTPUT', b.tlc, coalesce(p.name, rc.name), b.actual_quantity, b.unit_of_measure,
           (b.produced_at AT TIME ZONE 'UTC')::date, traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL,
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, 'PRODUCTION_RECORD', b.batch_number,
           traceability.has_ftl_food_input(b.id)
      FROM transformation t
      JOIN traceability.batch b ON b.id = t.id
      JOIN traceability.production_run r ON r.id = b.production_run_id
      JOIN traceability.recipe rc ON rc.id = r.recipe_id
      LEFT JOIN catalog.product p ON p.id = b.product_id
      LEFT JOIN catalog.warehouse w ON w.id = r.warehouse_id
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
  'FSMA 204 records for a TLC, as an electronic sortable spreadsheet: one row per critical tracking event (receiving, and each input and the output of a transformation sharing an event id) between two dates, with its key data elements and, for FTL foods, the required ones that are missing.';

DROP POLICY tenant_isolation ON audit.audit_log;
ALTER TABLE audit.audit_log NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.pallet_content;
ALTER TABLE traceability.pallet_content NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.pallet;
ALTER TABLE traceability.pallet NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.batch_ingredient;
ALTER TABLE traceability.batch_ingredient NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.batch;
ALTER TABLE traceability.batch NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.production_run;
ALTER TABLE traceability.production_run NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.recipe_ingredient;
ALTER TABLE traceability.recipe_ingredient NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.recipe;
ALTER TABLE traceability.recipe NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.ingredient_lot;
ALTER TABLE traceability.ingredient_lot NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON traceability.ingredient;
ALTER TABLE traceability.ingredient NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory.stock_count_line;
ALTER TABLE inventory.stock_count_line NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory.stock_count;
ALTER TABLE inventory.stock_count NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory.stock_movement;
ALTER TABLE inventory.stock_movement NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory.goods_receipt;
ALTER TABLE inventory.goods_receipt NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON inventory.stock_level;
ALTER TABLE inventory.stock_level NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.supplier_contact;
ALTER TABLE catalog.supplier_contact NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.supplier;
ALTER TABLE catalog.supplier NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.product;
ALTER TABLE catalog.product NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.warehouse;
ALTER TABLE catalog.warehouse NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.payment_term;
ALTER TABLE catalog.payment_term NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON catalog.brand;
ALTER TABLE catalog.brand NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant_isolation ON core.client;
ALTER TABLE core.client NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
