/*
 * add_shipment_trace_edges (issue 11): traceability sees shipments.
 *
 * - fulfillment.order_request gains ship_to_phone and ship_to_gln: with the customer's name and the
 *   ship-to address they make the FSMA location description of the immediate subsequent recipient
 *   (business name, phone and physical address, or a GLN: anchors-domain.md §3); without them no
 *   shipping record could ever be complete. ship_to_gln is a GS1 GLN (13 digits, check digit:
 *   order_request_ship_to_gln_check, as warehouse_gln_check).
 * - traceability.v_trace_edge gains PALLET -> SHIPMENT (a shipment item with a pallet: the pallet
 *   left, so everything on it reaches the shipment, in the share the item's quantity is of the
 *   pallet) and BATCH -> SHIPMENT (an item with a batch and no pallet). An item with both gives only
 *   the pallet's edge: its batch reaches the shipment through pallet_content, and a second edge would
 *   count its quantity twice. Existing edge kinds are unchanged.
 * - traceability.v_trace_node gains the SHIPMENT node (code: tracking number, else SHIPMENT-<id>;
 *   status: the shipment's; total: its items; warehouse: the order's ship-from warehouse) and
 *   columns describing it, NULL for other kinds: order_number, carrier_code, tracking_number,
 *   shipped_at, delivered_at, customer_name, customer_reference, ship_to_address. A shipment has no
 *   TLC (21 CFR 1.1320: shipping assigns none). Both views stay security_invoker: row-level security
 *   of every table under them applies, shipments included.
 * - walk_forward/trace_forward reach shipments and walk_backward/trace_backward start from one
 *   without change of their text: they walk the views (their comments say so now).
 * - report_recall(tlc) lists each shipment reached once (the walk gives one row per node, however
 *   many paths reach it) with the order, customer, ship-to, carrier, shipped and delivered times,
 *   status and the recalled quantity in it; a shipment holds nothing on hand. New result columns:
 *   the function is dropped and created again (CREATE OR REPLACE cannot change them).
 * - export_fsma_records gains the SHIPPING critical tracking event (21 CFR 1.1340): one row per
 *   posted shipment (shipped_at set) and TLC shipped, its quantity the item's (a batch item) or the
 *   TLC's share of the pallet an item ships (pallet content × item quantity / pallet total), with
 *   the KDEs: TLC, quantity and unit, product description, the immediate subsequent recipient (new
 *   column subsequent_recipient_description), where shipped from (the order's warehouse), the ship
 *   date, the TLC source (the transformation location: the batch's production warehouse), and the
 *   reference document: the carrier's waybill, BILL_OF_LADING with the tracking number. For FTL
 *   foods a missing KDE is named in missing_kdes, as for the other events.
 *
 * Related: add_trace_functions and enable_row_level_security (the previous definitions, which
 * down.sql restores word for word), add_shipment_tracking (shipment_item.batch_id and pallet_id),
 * add_shipment_item_client_id_{batch_id,pallet_id,shipment_id}_index (the lookups of both ends of
 * the new edges, client_id leading).
 * Locks: ACCESS EXCLUSIVE on fulfillment.order_request for two ADD COLUMN (nullable, no default:
 * catalog only) and the GLN CHECK, which scans the table once (every row NULL in the new column);
 * ACCESS EXCLUSIVE on the two views and the replaced functions (catalog only).
 * Expected runtime: one sequential scan of fulfillment.order_request (not measured at 1M rows:
 * about a second per million rows for a scan of this width); the rest is instant.
 * Rollback: down.sql (the new columns' values kept in backup.*). Checks: validate.sql.
 */

-- AlterTable
ALTER TABLE "fulfillment"."order_request" ADD COLUMN     "ship_to_gln" TEXT,
ADD COLUMN     "ship_to_phone" TEXT;

-- [CUSTOM_CHANGE_START] the ship-to GLN is a GS1 key
-- Prisma has no CHECK constraints.
-- squawk-ignore constraint-missing-not-valid -- safe here: ship_to_gln is new in this migration (all NULL, no row can fail) and the table is ACCESS EXCLUSIVE from that ADD COLUMN until the commit
ALTER TABLE "fulfillment"."order_request" ADD CONSTRAINT "order_request_ship_to_gln_check" CHECK (ship_to_gln ~ '^[0-9]{13}$' AND catalog.is_valid_gs1_key(ship_to_gln));
COMMENT ON COLUMN "fulfillment"."order_request"."ship_to_phone" IS 'The recipient''s phone: with customer_name and ship_to_address, the FSMA location description of the immediate subsequent recipient.';
COMMENT ON COLUMN "fulfillment"."order_request"."ship_to_gln" IS 'The recipient''s GS1 GLN (13 digits, check digit), the other form of its FSMA location description.';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] shipments in the trace graph
-- Prisma has no views or functions. CREATE OR REPLACE VIEW keeps the views' owner and privileges;
-- the new node columns come last, as it requires. Each branch is looked up by its index with
-- client_id leading (shipment_item_client_id_pallet_id_idx, _batch_id_idx, _shipment_id_idx,
-- shipment_pkey), through the LATERAL (... OFFSET 0) steps of the walks.
CREATE OR REPLACE VIEW traceability.v_trace_edge WITH (security_invoker = true) AS
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
  FROM traceability.pallet_content pc
UNION ALL
SELECT si.client_id, 'PALLET', si.pallet_id, 'SHIPMENT', si.shipment_id, si.quantity, si.created_at
  FROM fulfillment.shipment_item si
 WHERE si.pallet_id IS NOT NULL
UNION ALL
SELECT si.client_id, 'BATCH', si.batch_id, 'SHIPMENT', si.shipment_id, si.quantity, si.created_at
  FROM fulfillment.shipment_item si
 WHERE si.batch_id IS NOT NULL AND si.pallet_id IS NULL;
COMMENT ON VIEW traceability.v_trace_edge IS
  'Every edge of the lot genealogy, with its client: ingredient lot to batch and batch to batch (batch_ingredient), batch to pallet (pallet_content), pallet to shipment (a shipment item with a pallet) and batch to shipment (an item with a batch and no pallet: with a pallet, the batch reaches the shipment through it). quantity is in the unit of the from node. security_invoker: row-level security of the tables applies.';

CREATE OR REPLACE VIEW traceability.v_trace_node WITH (security_invoker = true) AS
SELECT l.client_id, 'LOT'::text AS kind, l.id, l.tlc AS code, l.tlc, l.received_quantity AS total_quantity, l.unit_of_measure,
       l.quality_status::text AS quality_status, l.status::text AS status, l.warehouse_id, l.supplier_id,
       NULL::text AS order_number, NULL::text AS carrier_code, NULL::text AS tracking_number, NULL::timestamptz AS shipped_at,
       NULL::timestamptz AS delivered_at, NULL::text AS customer_name, NULL::text AS customer_reference, NULL::text AS ship_to_address
  FROM traceability.ingredient_lot l
UNION ALL
SELECT b.client_id, 'BATCH', b.id, b.batch_number, b.tlc, b.actual_quantity, b.unit_of_measure, b.quality_status::text, b.status::text, r.warehouse_id, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM traceability.batch b
  JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
UNION ALL
SELECT p.client_id, 'PALLET', p.id, coalesce(p.sscc, p.pallet_number), NULL,
       (SELECT sum(c.quantity) FROM traceability.pallet_content c WHERE c.client_id = p.client_id AND c.pallet_id = p.id),
       NULL, NULL, p.status::text, p.warehouse_id, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM traceability.pallet p
UNION ALL
SELECT s.client_id, 'SHIPMENT', s.id, coalesce(s.tracking_number, 'SHIPMENT-' || s.id), NULL,
       (SELECT sum(i.quantity) FROM fulfillment.shipment_item i WHERE i.client_id = s.client_id AND i.shipment_id = s.id),
       NULL, NULL, s.status::text, o.warehouse_id, NULL,
       o.order_number, c.code, s.tracking_number, s.shipped_at, s.delivered_at, o.customer_name, o.customer_reference, o.ship_to_address
  FROM fulfillment.shipment s
  JOIN fulfillment.order_request o ON o.client_id = s.client_id AND o.id = s.order_request_id
  JOIN fulfillment.carrier c ON c.id = s.carrier_id;
COMMENT ON VIEW traceability.v_trace_node IS
  'Every node of the lot genealogy, with its client: ingredient lots (code = TLC), batches (code = batch number), pallets (code = SSCC, else pallet number), shipments (code = tracking number, else SHIPMENT-<id>; no TLC), with total quantity, statuses, warehouse (a shipment''s: where it ships from), (lots) supplier, and for shipments the order, carrier, tracking number, shipped and delivered times, customer and ship-to address. security_invoker: row-level security of the tables applies.';

COMMENT ON FUNCTION traceability.walk_forward(text, bigint, integer) IS
  'The forward walk behind trace_forward(), inlined wherever it is used (EXPLAIN shows its plan): every batch, pallet and shipment a LOT or BATCH of the client app.client_id names reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';
COMMENT ON FUNCTION traceability.walk_backward(text, bigint, integer) IS
  'The backward walk behind trace_backward(), inlined wherever it is used (EXPLAIN shows its plan): every pallet, batch and ingredient lot a BATCH, PALLET or SHIPMENT of the client app.client_id names came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';
COMMENT ON FUNCTION traceability.trace_forward(text, bigint, integer) IS
  'Forward trace (recall): every batch, pallet and shipment a LOT or BATCH reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut. Planned once per session.';
COMMENT ON FUNCTION traceability.trace_backward(text, bigint, integer) IS
  'Backward trace (root cause): every pallet, batch and ingredient lot a BATCH, PALLET or SHIPMENT came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut. Planned once per session.';

DROP FUNCTION traceability.report_recall(text);
CREATE FUNCTION traceability.report_recall(recalled_tlc text)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, tlc text, quality_status text, status text, recalled_quantity numeric,
               unit_of_measure text, warehouse_id bigint, warehouse_code text, on_hand numeric, consumed numeric, order_number text,
               customer_name text, customer_reference text, ship_to_address text, carrier_code text, tracking_number text, shipped_at timestamptz,
               delivered_at timestamptz)
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
           WHEN 'SHIPMENT' THEN 0
           ELSE CASE WHEN t.status IN ('BUILDING', 'STORED') THEN n.total_quantity ELSE 0 END
         END,
         CASE WHEN t.node_kind IN ('LOT', 'BATCH') THEN u.consumed_quantity ELSE 0 END,
         n.order_number, n.customer_name, n.customer_reference, n.ship_to_address, n.carrier_code, n.tracking_number, n.shipped_at,
         n.delivered_at
    FROM start s
   CROSS JOIN LATERAL traceability.walk_forward(s.kind, s.id) t
   CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.client_id = client AND n.kind = t.node_kind AND n.id = t.node_id OFFSET 0) n
    -- What is used of a lot or a batch (the same columns in both, NULL for a pallet or a shipment).
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
  'Recall report for a TLC (ingredient lot or batch) of the client app.client_id names: every lot, batch, pallet and shipment it reached (each once, however many paths reach it), with statuses, the prorated quantity of the recalled lot in it, what is still on hand where (lots and unpalletised batches in their warehouse, pallets not shipped in theirs; nothing in a shipment) and what was consumed, and for shipments the order, customer, ship-to address, carrier, tracking number and shipped and delivered times. Nothing without a client.';

DROP FUNCTION traceability.export_fsma_records(text, date, date);
CREATE FUNCTION traceability.export_fsma_records(lot_code text, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (event_id text, event_type text, event_role text, traceability_lot_code text, product_description text, quantity numeric,
               unit_of_measure text, event_date date, location_description text, previous_source_description text,
               subsequent_recipient_description text, tlc_source_description text, tlc_source_reference text, reference_document_type text,
               reference_document_number text, is_ftl_food boolean, missing_kdes text[])
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
  shipped AS (
    -- What of the batch with this TLC each shipment item carried: a batch item (no pallet) its
    -- quantity; a pallet item the batch's share of the pallet (the PALLET -> SHIPMENT edge).
    SELECT si.shipment_id, b.id AS batch_id, si.quantity
      FROM client
      JOIN traceability.batch b ON b.client_id = client.id AND b.tlc = lot_code
      JOIN fulfillment.shipment_item si ON si.client_id = b.client_id AND si.batch_id = b.id AND si.pallet_id IS NULL
    UNION ALL
    SELECT si.shipment_id, b.id, si.quantity * pc.quantity / nullif(pt.total, 0)
      FROM client
      JOIN traceability.batch b ON b.client_id = client.id AND b.tlc = lot_code
      JOIN traceability.pallet_content pc ON pc.client_id = b.client_id AND pc.batch_id = b.id
      JOIN fulfillment.shipment_item si ON si.client_id = pc.client_id AND si.pallet_id = pc.pallet_id
     CROSS JOIN LATERAL (SELECT sum(c.quantity) AS total FROM traceability.pallet_content c WHERE c.client_id = pc.client_id AND c.pallet_id = pc.pallet_id) pt
  ),
  event AS (
    -- Receiving (21 CFR 1.1345) of the ingredient lot with this TLC.
    SELECT 'RECEIVING-' || l.id AS event_id, 'RECEIVING' AS event_type, NULL::text AS event_role, l.tlc, i.name::text AS product_description,
           l.received_quantity AS quantity, l.unit_of_measure, (l.received_at AT TIME ZONE 'UTC')::date AS event_date,
           traceability.describe_location(w.name, w.address, w.phone, w.gln) AS location_description,
           traceability.describe_location(s.name, s.address, coalesce(s.contact_phone, s.phone), s.gln) AS previous_source_description,
           NULL::text AS subsequent_recipient_description,
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
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, NULL, NULL, NULL, NULL, NULL,
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
           (b.produced_at AT TIME ZONE 'UTC')::date, traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, NULL,
           traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL, 'PRODUCTION_RECORD', b.batch_number,
           traceability.has_ftl_food_input(b.id)
      FROM client
      JOIN transformation t ON true
      JOIN traceability.batch b ON b.client_id = client.id AND b.id = t.id
      JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
      JOIN traceability.recipe rc ON rc.client_id = r.client_id AND rc.id = r.recipe_id
      LEFT JOIN catalog.product p ON p.client_id = b.client_id AND p.id = b.product_id
      LEFT JOIN catalog.warehouse w ON w.client_id = r.client_id AND w.id = r.warehouse_id
    UNION ALL
    -- Shipping (21 CFR 1.1340): one row per posted shipment of the TLC, shipped from the order's
    -- warehouse to its customer; the TLC source is the batch's transformation location; the
    -- reference document is the carrier's waybill, numbered by the tracking number.
    SELECT 'SHIPPING-' || sh.id, 'SHIPPING', NULL, b.tlc, coalesce(p.name, rc.name), round(x.quantity, 4), b.unit_of_measure,
           (sh.shipped_at AT TIME ZONE 'UTC')::date, traceability.describe_location(w.name, w.address, w.phone, w.gln), NULL,
           traceability.describe_location(o.customer_name, o.ship_to_address, o.ship_to_phone, o.ship_to_gln),
           traceability.describe_location(rw.name, rw.address, rw.phone, rw.gln), NULL,
           CASE WHEN sh.tracking_number IS NOT NULL THEN 'BILL_OF_LADING' END, sh.tracking_number,
           traceability.has_ftl_food_input(b.id)
      FROM client
      JOIN (SELECT shipped.shipment_id, shipped.batch_id, sum(shipped.quantity) AS quantity FROM shipped GROUP BY shipped.shipment_id, shipped.batch_id) x ON true
      JOIN fulfillment.shipment sh ON sh.client_id = client.id AND sh.id = x.shipment_id
      JOIN fulfillment.order_request o ON o.client_id = sh.client_id AND o.id = sh.order_request_id
      LEFT JOIN catalog.warehouse w ON w.client_id = o.client_id AND w.id = o.warehouse_id
      JOIN traceability.batch b ON b.client_id = client.id AND b.id = x.batch_id
      JOIN traceability.production_run r ON r.client_id = b.client_id AND r.id = b.production_run_id
      JOIN traceability.recipe rc ON rc.client_id = r.client_id AND rc.id = r.recipe_id
      LEFT JOIN catalog.product p ON p.client_id = b.client_id AND p.id = b.product_id
      LEFT JOIN catalog.warehouse rw ON rw.client_id = r.client_id AND rw.id = r.warehouse_id
     WHERE sh.shipped_at IS NOT NULL
  )
  SELECT e.event_id, e.event_type, e.event_role, e.tlc, e.product_description, e.quantity, e.unit_of_measure, e.event_date,
         e.location_description, e.previous_source_description, e.subsequent_recipient_description, e.tlc_source_description,
         e.tlc_source_reference, e.reference_document_type, e.reference_document_number, e.is_ftl_food,
         CASE WHEN e.is_ftl_food THEN array_remove(ARRAY[
           CASE WHEN e.tlc IS NULL THEN 'traceability_lot_code' END,
           CASE WHEN e.product_description IS NULL THEN 'product_description' END,
           CASE WHEN e.quantity IS NULL THEN 'quantity' END,
           CASE WHEN e.unit_of_measure IS NULL THEN 'unit_of_measure' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.event_date IS NULL THEN 'event_date' END,
           CASE WHEN e.event_role IS DISTINCT FROM 'INPUT' AND e.location_description IS NULL THEN 'location_description' END,
           CASE WHEN e.event_type = 'RECEIVING' AND e.previous_source_description IS NULL THEN 'previous_source_description' END,
           CASE WHEN e.event_type = 'SHIPPING' AND e.subsequent_recipient_description IS NULL THEN 'subsequent_recipient_description' END,
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
  'FSMA 204 records for a TLC of the client app.client_id names, as an electronic sortable spreadsheet: one row per critical tracking event (receiving; each input and the output of a transformation sharing an event id; shipping, per posted shipment, with the immediate subsequent recipient) between two dates, with its key data elements and, for FTL foods, the required ones that are missing. Nothing without a client.';

ALTER FUNCTION traceability.report_recall(text) OWNER TO supply_ledger_owner;
ALTER FUNCTION traceability.export_fsma_records(text, date, date) OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION traceability.report_recall(text), traceability.export_fsma_records(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION traceability.report_recall(text), traceability.export_fsma_records(text, date, date) TO supply_ledger_app, supply_ledger_readonly;
-- The walk's row estimates multiply at every level, so these plans cost far above jit_above_cost
-- while they read a few rows: on a server with JIT (Debian's PostgreSQL 15) each recall was
-- compiled for about 500 ms, against 7.5 ms without (bench:deploy-under-load, recall p50 389 ms).
ALTER FUNCTION traceability.report_recall(text) SET jit = off;
ALTER FUNCTION traceability.export_fsma_records(text, date, date) SET jit = off;
-- [CUSTOM_CHANGE_END]
