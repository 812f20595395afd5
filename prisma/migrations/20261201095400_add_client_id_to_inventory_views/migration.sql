/*
 * add_client_id_to_inventory_views: the inventory materialized views per client (issue 10,
 * docs/design/tenancy.md). A materialized view holds rows computed with its owner's rights, every
 * client's, and row-level security does not apply to reading it: so no application role may read
 * one (create_roles granted them none), and a client reads its own rows through a function.
 *
 * - mv_inventory_valuation, mv_product_stock_summary and mv_low_stock_alerts are built again with
 *   client_id, which leads their unique mv_*_key index (REFRESH ... CONCURRENTLY needs one) and
 *   every join between their tables;
 * - inventory.valuation_by_warehouse(), inventory.product_stock_summary() and
 *   inventory.low_stock_alerts(only_warehouse_id) return the rows of the client the setting
 *   app.client_id names, and refuse (42501) without one: SECURITY DEFINER (they run as
 *   supply_ledger_owner, which may read the views) with a fixed search_path and qualified names.
 *
 * refresh_all_inventory_views() stays as it was, the operator's (supply_ledger_owner or a
 * superuser; PUBLIC may not execute it since create_roles): REFRESH runs as the views' owner,
 * supply_ledger_owner, which bypasses row-level security and so computes every client's rows.
 *
 * A migration of its own, before enable_row_level_security: filling the views takes a while, and
 * the locks it takes (ACCESS EXCLUSIVE on the views, ACCESS SHARE on stock_level, product and
 * warehouse: writes go on) must not be held by the migration that locks every tenant table.
 * Measured with 1,000,000 products and stock levels (and as many goods receipts and movements;
 * bench/tenancy-locks.ts; PostgreSQL 18 / 15, 2026-12-01, a 2-core machine shared with other
 * work): 19.4 / 17.4 s; application writers of a product and of a stock level waited at most
 * 20 / 171 ms.
 * Rollback: down.sql (the views as add_inventory_views made them). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] materialized views per client, read through functions
-- Prisma does not manage materialized views or functions. A materialized view holds rows computed
-- with its owner's rights, every client's: row-level security does not apply to it. So each one
-- carries client_id (leading its unique index, which REFRESH ... CONCURRENTLY needs), no
-- application role may read it, and a client reads its own rows through a SECURITY DEFINER
-- function that filters by the setting app.client_id and refuses (42501) without one. They are
-- refreshed as before by inventory.refresh_all_inventory_views(), which the operator runs (the
-- owner role, or a superuser): REFRESH runs as the views' owner, supply_ledger_owner, which
-- bypasses row-level security and so computes every client's rows.
DROP MATERIALIZED VIEW inventory.mv_low_stock_alerts;
DROP MATERIALIZED VIEW inventory.mv_product_stock_summary;
DROP MATERIALIZED VIEW inventory.mv_inventory_valuation;

CREATE MATERIALIZED VIEW inventory.mv_inventory_valuation AS
SELECT w.client_id,
       w.id AS warehouse_id,
       w.code AS warehouse_code,
       w.name AS warehouse_name,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0) AS products_in_stock,
       coalesce(sum(l.qty_on_hand), 0)::numeric(18, 4) AS total_quantity,
       coalesce(sum(l.total_value), 0)::numeric(19, 4) AS total_value,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0 AND l.cost_price IS NULL) AS levels_without_cost,
       max(l.last_movement_at) AS last_movement_at
  FROM catalog.warehouse w
  LEFT JOIN inventory.stock_level l ON l.client_id = w.client_id AND l.warehouse_id = w.id
 GROUP BY w.client_id, w.id, w.code, w.name;
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created again just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_inventory_valuation_key ON inventory.mv_inventory_valuation (client_id, warehouse_id);
COMMENT ON MATERIALIZED VIEW inventory.mv_inventory_valuation IS
  'Stock value, quantity and products in stock per client and warehouse (levels without a known cost counted apart). Refreshed by inventory.refresh_all_inventory_views(); read by a client through inventory.valuation_by_warehouse().';

CREATE MATERIALIZED VIEW inventory.mv_product_stock_summary AS
SELECT p.client_id,
       p.id AS product_id,
       p.sku,
       p.name,
       p.brand_id,
       coalesce(sum(l.qty_on_hand), 0)::numeric(18, 4) AS total_on_hand,
       coalesce(sum(l.qty_reserved), 0)::numeric(18, 4) AS total_reserved,
       coalesce(sum(l.qty_on_hand - l.qty_reserved), 0)::numeric(18, 4) AS available,
       count(l.id) FILTER (WHERE l.qty_on_hand > 0) AS warehouses_in_stock,
       coalesce(sum(l.total_value), 0)::numeric(19, 4) AS total_value,
       round(sum(l.total_value) / nullif(sum(l.qty_on_hand) FILTER (WHERE l.cost_price IS NOT NULL), 0), 6) AS average_cost
  FROM catalog.product p
  LEFT JOIN inventory.stock_level l ON l.client_id = p.client_id AND l.product_id = p.id
 GROUP BY p.client_id, p.id, p.sku, p.name, p.brand_id;
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created again just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_product_stock_summary_key ON inventory.mv_product_stock_summary (client_id, product_id);
COMMENT ON MATERIALIZED VIEW inventory.mv_product_stock_summary IS
  'On hand, reserved, available, value and average cost of each product of each client over all its warehouses. Refreshed by inventory.refresh_all_inventory_views(); read by a client through inventory.product_stock_summary().';

CREATE MATERIALIZED VIEW inventory.mv_low_stock_alerts AS
SELECT l.client_id,
       l.product_id,
       l.warehouse_id,
       p.sku,
       w.code AS warehouse_code,
       l.qty_on_hand,
       l.qty_reserved,
       (l.qty_on_hand - l.qty_reserved)::numeric(18, 4) AS available,
       p.safety_stock,
       p.reorder_point,
       p.reorder_qty,
       CASE
         WHEN l.qty_on_hand - l.qty_reserved <= 0 THEN 'OUT_OF_STOCK'
         WHEN l.qty_on_hand - l.qty_reserved < p.safety_stock THEN 'BELOW_MINIMUM'
         ELSE 'BELOW_REORDER_POINT'
       END AS status,
       greatest(coalesce(p.reorder_qty, 0), coalesce(p.reorder_point, 0) - (l.qty_on_hand - l.qty_reserved))::numeric(18, 4) AS suggested_order_qty
  FROM inventory.stock_level l
  JOIN catalog.product p ON p.client_id = l.client_id AND p.id = l.product_id
  JOIN catalog.warehouse w ON w.client_id = l.client_id AND w.id = l.warehouse_id
 WHERE p.is_active AND w.is_active
   AND (l.qty_on_hand - l.qty_reserved <= 0
        OR l.qty_on_hand - l.qty_reserved < p.safety_stock
        OR l.qty_on_hand - l.qty_reserved <= p.reorder_point);
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created again just above in this migration, so no other session can use it before the commit
CREATE UNIQUE INDEX mv_low_stock_alerts_key ON inventory.mv_low_stock_alerts (client_id, product_id, warehouse_id);
-- squawk-ignore require-concurrent-index-creation -- safe here: the materialized view is created again just above in this migration, so no other session can use it before the commit
CREATE INDEX mv_low_stock_alerts_warehouse_status_idx ON inventory.mv_low_stock_alerts (client_id, warehouse_id, status);
COMMENT ON MATERIALIZED VIEW inventory.mv_low_stock_alerts IS
  'Stock levels of active products and warehouses of each client that are OUT_OF_STOCK (nothing available), BELOW_MINIMUM (under safety stock) or BELOW_REORDER_POINT, with a suggested order quantity. Refreshed by inventory.refresh_all_inventory_views(); read by a client through inventory.low_stock_alerts().';

ALTER MATERIALIZED VIEW inventory.mv_inventory_valuation OWNER TO supply_ledger_owner;
ALTER MATERIALIZED VIEW inventory.mv_product_stock_summary OWNER TO supply_ledger_owner;
ALTER MATERIALIZED VIEW inventory.mv_low_stock_alerts OWNER TO supply_ledger_owner;
REVOKE ALL ON inventory.mv_inventory_valuation, inventory.mv_product_stock_summary, inventory.mv_low_stock_alerts
  FROM supply_ledger_app, supply_ledger_readonly;
GRANT SELECT ON inventory.mv_inventory_valuation, inventory.mv_product_stock_summary, inventory.mv_low_stock_alerts TO supply_ledger_backup;

-- Fixed search_path and qualified names: a SECURITY DEFINER function runs as supply_ledger_owner,
-- and must not find an object of the caller's making first.
CREATE FUNCTION inventory.valuation_by_warehouse()
RETURNS TABLE (warehouse_id bigint, warehouse_code text, warehouse_name text, products_in_stock bigint, total_quantity numeric,
               total_value numeric, levels_without_cost bigint, last_movement_at timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'inventory.valuation_by_warehouse(): no client is set (app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT v.warehouse_id, v.warehouse_code, v.warehouse_name, v.products_in_stock, v.total_quantity, v.total_value, v.levels_without_cost,
         v.last_movement_at
    FROM inventory.mv_inventory_valuation v
   WHERE v.client_id = client
   ORDER BY v.warehouse_code;
END
$$;
COMMENT ON FUNCTION inventory.valuation_by_warehouse() IS
  'The rows of mv_inventory_valuation (as of its last refresh) of the client app.client_id names, by warehouse code; refuses (42501) without a client. SECURITY DEFINER: the application roles cannot read the materialized view itself.';

CREATE FUNCTION inventory.product_stock_summary()
RETURNS TABLE (product_id bigint, sku text, name text, brand_id bigint, total_on_hand numeric, total_reserved numeric, available numeric,
               warehouses_in_stock bigint, total_value numeric, average_cost numeric)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'inventory.product_stock_summary(): no client is set (app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT v.product_id, v.sku, v.name, v.brand_id, v.total_on_hand, v.total_reserved, v.available, v.warehouses_in_stock, v.total_value,
         v.average_cost
    FROM inventory.mv_product_stock_summary v
   WHERE v.client_id = client
   ORDER BY v.sku;
END
$$;
COMMENT ON FUNCTION inventory.product_stock_summary() IS
  'The rows of mv_product_stock_summary (as of its last refresh) of the client app.client_id names, by SKU; refuses (42501) without a client. SECURITY DEFINER: the application roles cannot read the materialized view itself.';

CREATE FUNCTION inventory.low_stock_alerts(only_warehouse_id bigint DEFAULT NULL)
RETURNS TABLE (product_id bigint, warehouse_id bigint, sku text, warehouse_code text, qty_on_hand numeric, qty_reserved numeric,
               available numeric, safety_stock numeric, reorder_point numeric, reorder_qty numeric, status text, suggested_order_qty numeric)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'inventory.low_stock_alerts(): no client is set (app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT v.product_id, v.warehouse_id, v.sku, v.warehouse_code, v.qty_on_hand, v.qty_reserved, v.available, v.safety_stock, v.reorder_point,
         v.reorder_qty, v.status, v.suggested_order_qty
    FROM inventory.mv_low_stock_alerts v
   WHERE v.client_id = client AND (only_warehouse_id IS NULL OR v.warehouse_id = only_warehouse_id)
   ORDER BY CASE v.status WHEN 'OUT_OF_STOCK' THEN 0 WHEN 'BELOW_MINIMUM' THEN 1 ELSE 2 END, v.sku, v.warehouse_code;
END
$$;
COMMENT ON FUNCTION inventory.low_stock_alerts(bigint) IS
  'The rows of mv_low_stock_alerts (as of its last refresh) of the client app.client_id names, of one warehouse or all, worst first (OUT_OF_STOCK, BELOW_MINIMUM, BELOW_REORDER_POINT), then by SKU and warehouse code; refuses (42501) without a client. SECURITY DEFINER: the application roles cannot read the materialized view itself.';

ALTER FUNCTION inventory.valuation_by_warehouse() OWNER TO supply_ledger_owner;
ALTER FUNCTION inventory.product_stock_summary() OWNER TO supply_ledger_owner;
ALTER FUNCTION inventory.low_stock_alerts(bigint) OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION inventory.valuation_by_warehouse(), inventory.product_stock_summary(), inventory.low_stock_alerts(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.valuation_by_warehouse(), inventory.product_stock_summary(), inventory.low_stock_alerts(bigint)
  TO supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
