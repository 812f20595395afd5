/*
 * enable_row_level_security: tenant isolation in the database (issue 10, docs/design/tenancy.md):
 * a connection sees and writes only the rows of the client its setting app.client_id names, set
 * per transaction (SET LOCAL app.client_id = '42', or set_config('app.client_id', '42', true)) or
 * when a per-client pool's connections start (options=-c app.client_id=42). With no client set, a
 * query sees no rows and every write is refused: never everything.
 *
 * - Every tenant table and core.client: ENABLE and FORCE ROW LEVEL SECURITY, and one policy,
 *   tenant_isolation, FOR ALL, USING and WITH CHECK client_id (core.client: id) =
 *   NULLIF(current_setting('app.client_id', true), '')::bigint. Triggers run as whoever fires them,
 *   so the policies apply to what they read and write too; swap_tenant_keys made every lookup in
 *   them name the row's client.
 * - The trace views v_trace_edge and v_trace_node carry client_id and are security_invoker (a
 *   view otherwise reads its tables with its owner's rights, and the owner bypasses row-level
 *   security); the walks, trace_forward/backward, report_recall, export_fsma_records and
 *   post_stock_count work on the client of the setting, and find nothing without one.
 * - core.find_client_id(code) gives an application the id of the client it is asked to work for
 *   (row-level security hides core.client from it until it works for one): SECURITY DEFINER with a
 *   fixed search_path.
 *
 * Deploy it with an application version that sets app.client_id: from here on a connection without
 * it sees nothing.
 *
 * Locks: ACCESS EXCLUSIVE on every tenant table until the commit, and only catalog changes after
 * taking them (the materialized views were rebuilt by add_client_id_to_inventory_views, so that
 * these locks are not held while they fill). Measured with 1,000,000 rows in each of product,
 * stock_level, goods_receipt and stock_movement (bench/tenancy-locks.ts; PostgreSQL 18 / 15,
 * 2026-12-01, a 2-core machine shared with other work): 17 / 22 ms; application writers of a
 * product and of a stock level waited at most 14 / 34 ms.
 * Rollback: down.sql. Checks: validate.sql.
 */


-- [CUSTOM_CHANGE_START] row-level security, forced, on every tenant table and core.client
-- Prisma has no row-level security. One policy per table, for every command and every role:
-- a row is visible, and may be written, when its client is the one the setting app.client_id names.
-- No sub-select (Citus refuses them in policies) and no "IS NULL OR" escape: with no client set the
-- comparison is NULL, so nothing is visible and every write is refused. FORCE: the tables' owner is
-- held to the policies too, unless it bypasses them (supply_ledger_owner does, for migrations and
-- backfills; superusers always do).
ALTER TABLE "core"."client" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "core"."client" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "core"."client" FOR ALL USING (id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "core"."client" IS 'The client itself of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."brand" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."brand" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."brand" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."brand" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."payment_term" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."payment_term" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."payment_term" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."payment_term" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."warehouse" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."warehouse" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."warehouse" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."warehouse" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."product" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."product" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."product" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."product" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."supplier" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."supplier" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."supplier" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."supplier" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "catalog"."supplier_contact" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog"."supplier_contact" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog"."supplier_contact" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "catalog"."supplier_contact" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "inventory"."stock_level" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "inventory"."stock_level" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "inventory"."stock_level" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "inventory"."stock_level" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "inventory"."goods_receipt" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "inventory"."goods_receipt" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "inventory"."goods_receipt" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "inventory"."goods_receipt" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "inventory"."stock_movement" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "inventory"."stock_movement" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "inventory"."stock_movement" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "inventory"."stock_movement" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "inventory"."stock_count" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "inventory"."stock_count" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "inventory"."stock_count" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "inventory"."stock_count" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "inventory"."stock_count_line" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "inventory"."stock_count_line" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "inventory"."stock_count_line" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "inventory"."stock_count_line" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."ingredient" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."ingredient" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."ingredient" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."ingredient" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."ingredient_lot" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."ingredient_lot" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."ingredient_lot" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."ingredient_lot" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."recipe" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."recipe" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."recipe" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."recipe" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."recipe_ingredient" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."recipe_ingredient" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."recipe_ingredient" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."recipe_ingredient" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."production_run" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."production_run" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."production_run" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."production_run" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."batch" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."batch" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."batch" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."batch" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."batch_ingredient" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."batch_ingredient" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."batch_ingredient" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."batch_ingredient" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."pallet" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."pallet" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."pallet" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."pallet" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "traceability"."pallet_content" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "traceability"."pallet_content" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "traceability"."pallet_content" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "traceability"."pallet_content" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "audit"."audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit"."audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit"."audit_log" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "audit"."audit_log" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] the trace graph of one client
-- Prisma has no views or functions. The views carry client_id and run with the rights of whoever
-- queries them (security_invoker), so that row-level security applies to the tables under them;
-- the walks start from a node of the client app.client_id names and follow edges of that client
-- only (each step one index lookup with client_id, a single-shard query on Citus). With no client
-- set they find nothing.
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

CREATE OR REPLACE FUNCTION traceability.walk_forward(start_kind text, start_id bigint, max_depth integer DEFAULT 50)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, quantity numeric, unit_of_measure text, quality_status text,
               status text, parent_kind text, parent_id bigint, paths bigint, cycle boolean)
LANGUAGE sql
STABLE
AS $$
  WITH RECURSIVE walk (depth, client_id, kind, id, code, amount, total, unit_of_measure, quality_status, status, parent_kind, parent_id) AS (
    SELECT 0, n.client_id, n.kind, n.id, n.code, n.total_quantity, n.total_quantity, n.unit_of_measure, n.quality_status, n.status, NULL::text, NULL::bigint
      FROM traceability.v_trace_node n
     WHERE n.client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND n.kind = start_kind AND n.id = start_id
    UNION ALL
    SELECT w.depth + 1, n.client_id, n.kind, n.id, n.code, w.amount * e.quantity / nullif(w.total, 0), n.total_quantity, n.unit_of_measure,
           n.quality_status, n.status, w.kind, w.id
      FROM walk w
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_edge e WHERE e.client_id = w.client_id AND e.from_kind = w.kind AND e.from_id = w.id OFFSET 0) e
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.client_id = e.client_id AND n.kind = e.to_kind AND n.id = e.to_id OFFSET 0) n
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
  'The forward walk behind trace_forward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and pallet a LOT or BATCH of the client app.client_id names reached, with the least depth, the quantity of the start in it (prorated used/produced at each hop, summed over paths), a parent on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';

CREATE OR REPLACE FUNCTION traceability.walk_backward(start_kind text, start_id bigint, max_depth integer DEFAULT 50)
RETURNS TABLE (depth integer, node_kind text, node_id bigint, code text, quantity numeric, unit_of_measure text, quality_status text,
               status text, supplier_id bigint, supplier_name text, child_kind text, child_id bigint, paths bigint, cycle boolean)
LANGUAGE sql
STABLE
AS $$
  WITH RECURSIVE walk (depth, client_id, kind, id, code, fraction, amount, unit_of_measure, quality_status, status, supplier_id, child_kind, child_id) AS (
    SELECT 0, n.client_id, n.kind, n.id, n.code, 1::numeric, n.total_quantity, n.unit_of_measure, n.quality_status, n.status, n.supplier_id, NULL::text, NULL::bigint
      FROM traceability.v_trace_node n
     WHERE n.client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND n.kind = start_kind AND n.id = start_id
    UNION ALL
    SELECT w.depth + 1, n.client_id, n.kind, n.id, n.code, w.fraction * e.quantity / nullif(n.total_quantity, 0), w.fraction * e.quantity, n.unit_of_measure,
           n.quality_status, n.status, n.supplier_id, w.kind, w.id
      FROM walk w
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_edge e WHERE e.client_id = w.client_id AND e.to_kind = w.kind AND e.to_id = w.id OFFSET 0) e
     CROSS JOIN LATERAL (SELECT * FROM traceability.v_trace_node n WHERE n.client_id = e.client_id AND n.kind = e.from_kind AND n.id = e.from_id OFFSET 0) n
     WHERE w.depth < max_depth
  ) CYCLE kind, id SET is_cycle USING path
  SELECT t.depth, t.kind, t.id, t.code, t.quantity, t.unit_of_measure, t.quality_status, t.status, t.supplier_id, s.name,
         t.child_kind, t.child_id, t.paths, t.cycle
    FROM (SELECT min(w.depth)::integer AS depth, w.client_id, w.kind, w.id, w.code, round(sum(w.amount) FILTER (WHERE NOT w.is_cycle), 4) AS quantity,
                 w.unit_of_measure, w.quality_status, w.status, w.supplier_id, (array_agg(w.child_kind ORDER BY w.depth))[1] AS child_kind,
                 (array_agg(w.child_id ORDER BY w.depth))[1] AS child_id, count(*) FILTER (WHERE NOT w.is_cycle) AS paths, bool_or(w.is_cycle) AS cycle
            FROM walk w
           GROUP BY w.client_id, w.kind, w.id, w.code, w.unit_of_measure, w.quality_status, w.status, w.supplier_id) t
    LEFT JOIN catalog.supplier s ON s.client_id = t.client_id AND s.id = t.supplier_id
   ORDER BY 1, 2, 4
$$;
COMMENT ON FUNCTION traceability.walk_backward(text, bigint, integer) IS
  'The backward walk behind trace_backward(), inlined wherever it is used (EXPLAIN shows its plan): every batch and ingredient lot a BATCH or PALLET of the client app.client_id names came from, with the least depth, the quantity of each in the start (prorated), the supplier of each lot, a child on a shortest path, and cycle = true where a cycle was cut. Nothing without a client.';

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

CREATE OR REPLACE FUNCTION traceability.has_ftl_food_input(batch_id bigint)
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
  SELECT EXISTS (
    SELECT 1 FROM traceability.walk_backward('BATCH', batch_id) t
      JOIN traceability.ingredient_lot l
        ON t.node_kind = 'LOT' AND l.client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND l.id = t.node_id
      JOIN traceability.ingredient i ON i.client_id = l.client_id AND i.id = l.ingredient_id
     WHERE i.is_ftl_food)
$$;
COMMENT ON FUNCTION traceability.has_ftl_food_input(bigint) IS
  'True when any ingredient lot the batch (of the client app.client_id names) came from, at any depth, is a food on the FDA Food Traceability List.';

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
  SELECT * INTO stock_count FROM inventory.stock_count
   WHERE client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND id = count_id
     FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stock count % does not exist (for the client app.client_id names)', count_id USING ERRCODE = 'no_data_found';
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
  'Posts an OPEN stock count of the client app.client_id names: one ADJUSTMENT_IN/ADJUSTMENT_OUT movement per line whose counted quantity differs from on hand (gains at the level cost, else the line cost), records on-hand and the movement on each line, marks the count POSTED. Returns how many movements it posted; a count of no client set, or of another client, does not exist.';

ALTER VIEW traceability.v_trace_edge OWNER TO supply_ledger_owner;
ALTER VIEW traceability.v_trace_node OWNER TO supply_ledger_owner;
REVOKE ALL ON traceability.v_trace_edge, traceability.v_trace_node FROM supply_ledger_app, supply_ledger_readonly;
GRANT SELECT ON traceability.v_trace_edge, traceability.v_trace_node TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] a client by its code
-- Prisma has no functions. The client a code names, for an application that knows its clients by
-- code (--client CODE): with no client set, row-level security hides every row of core.client.
CREATE FUNCTION core.find_client_id(client_code text)
RETURNS bigint
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT c.id FROM core.client c WHERE c.code OPERATOR(public.=) client_code::public.citext AND c.is_active
$$;
COMMENT ON FUNCTION core.find_client_id(text) IS
  'The id of the active client whose code is client_code (compared case-insensitively), NULL when there is none. SECURITY DEFINER: row-level security shows a connection only the client it works for.';

ALTER FUNCTION core.find_client_id(text) OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION core.find_client_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.find_client_id(text) TO supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
