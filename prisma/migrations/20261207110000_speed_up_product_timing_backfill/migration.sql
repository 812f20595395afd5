/*
 * speed_up_product_timing_backfill (issue 11, benchmark): backfill product-timing computes its batch
 * set-based, with the same results; the formula gets a function of its own, shared by the batch and
 * by the one-product projection.
 *
 * Measured before (bench:fulfillment --cases timing, 1,000,000 products, 5,750,000 movements,
 * batches of 1,000): 241 s under load, about 100 s when calmer. EXPLAIN (ANALYZE, BUFFERS) of a
 * batch at 100,000 products: the UPDATE joined the batch's projections to catalog.product read
 * whole (a sequential scan of every product of the client, in every batch: a cost growing with the
 * catalog, 26 ms of the batch's 160 ms at 100,000 products), then one nested loop per product
 * (its row again, its movements, its levels), and 19 ms of planning.
 *
 * - catalog.product_timing_projection(as_of, first_at, issued, available, total_lead_days): the
 *   formula of add_product_lead_times from its inputs (status, ADU, window, stockout, order-by),
 *   a plain IMMUTABLE SQL function that the planner inlines.
 * - catalog.product_timing(product): the same lookups of one product as before, then the formula.
 * - catalog.backfill_product_timing(after_id, batch_size): one statement for the batch: the
 *   movements and the levels of the batch's id range, each read in one index range scan and grouped
 *   by product, the formula per product, and one UPDATE of the range (an index range scan of
 *   catalog.product, not the whole table). Batches, keyset, the write-only-when-changed rule (a
 *   projection not yet computed today is written: timing_last_calculated says when it was) and the
 *   result are unchanged. (validate.sql of add_product_timing_function looks for
 *   catalog.product_timing in the batch's body: it finds the formula, which both share.)
 *
 * Locks: none on data (CREATE FUNCTION, CREATE OR REPLACE FUNCTION). Expected runtime: instant.
 * Rollback: down.sql (the two functions' earlier bodies, word for word; the formula dropped).
 * Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] the formula, and both projections through it
-- Prisma has no functions.
CREATE FUNCTION catalog.product_timing_projection(as_of date, first_at date, issued numeric, available numeric, total_lead_days integer)
RETURNS TABLE (projection_status catalog.projection_status, average_daily_demand numeric, demand_window_days integer,
               projected_stockout_date date, last_order_by_date date)
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT c.status, c.adu, w.window_days, c.stockout, c.stockout - total_lead_days
    FROM (SELECT least(90, as_of - first_at) AS window_days) w
    CROSS JOIN LATERAL (
      SELECT CASE WHEN available <= 0 THEN 'STOCKED_OUT'
                  WHEN first_at IS NULL OR w.window_days < 14 THEN 'INSUFFICIENT_HISTORY'
                  WHEN issued <= 0 THEN 'NO_DEMAND'
                  ELSE 'PROJECTED' END::catalog.projection_status AS status,
             CASE WHEN w.window_days > 0 THEN round(issued / w.window_days, 4) END AS adu,
             CASE WHEN available > 0 AND w.window_days >= 14 AND issued > 0
                  THEN as_of + floor(available / (issued / w.window_days))::integer END AS stockout) c
$$;

CREATE OR REPLACE FUNCTION catalog.product_timing(product bigint)
RETURNS TABLE (projection_status catalog.projection_status, average_daily_demand numeric, demand_window_days integer,
               projected_stockout_date date, last_order_by_date date)
LANGUAGE sql
STABLE
AS $$
  SELECT t.projection_status, t.average_daily_demand, t.demand_window_days, t.projected_stockout_date, t.last_order_by_date
    FROM catalog.product p
    CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'UTC')::date AS as_of) d
    CROSS JOIN LATERAL (
      SELECT (min(m.occurred_at) AT TIME ZONE 'UTC')::date AS first_at,
             coalesce(-sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE' AND m.occurred_at >= ((d.as_of - 90)::timestamp AT TIME ZONE 'UTC')), 0) AS issued
        FROM inventory.stock_movement m WHERE m.client_id = p.client_id AND m.product_id = p.id) h
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(sl.qty_on_hand - sl.qty_reserved), 0) AS available
        FROM inventory.stock_level sl WHERE sl.client_id = p.client_id AND sl.product_id = p.id) a
    CROSS JOIN LATERAL catalog.product_timing_projection(d.as_of, h.first_at, h.issued, a.available, p.total_lead_days) t
   WHERE p.client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND p.id = product_timing.product
$$;

CREATE OR REPLACE FUNCTION catalog.backfill_product_timing(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  as_of date := (now() AT TIME ZONE 'UTC')::date;
  window_start timestamptz := (as_of - 90)::timestamp AT TIME ZONE 'UTC';
  batch_last bigint;
  written bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'catalog.backfill_product_timing: no client (set app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(b.id) INTO batch_last
    FROM (SELECT p.id FROM catalog.product p WHERE p.client_id = client AND p.id > after_id ORDER BY p.id LIMIT batch_size) b;
  IF batch_last IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  -- Every table read by the batch's id range (custom plans: the planner sees the range), so that a
  -- batch costs its products' rows, whatever the size of the catalog.
  WITH history AS (
    SELECT m.product_id, (min(m.occurred_at) AT TIME ZONE 'UTC')::date AS first_at,
           -sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE' AND m.occurred_at >= window_start) AS issued
      FROM inventory.stock_movement m
     WHERE m.client_id = client AND m.product_id > after_id AND m.product_id <= batch_last
     GROUP BY m.product_id
  ),
  available AS (
    SELECT sl.product_id, sum(sl.qty_on_hand - sl.qty_reserved) AS available
      FROM inventory.stock_level sl
     WHERE sl.client_id = client AND sl.product_id > after_id AND sl.product_id <= batch_last
     GROUP BY sl.product_id
  ),
  calc AS (
    SELECT p.id, t.projection_status, t.average_daily_demand, t.demand_window_days, t.projected_stockout_date, t.last_order_by_date
      FROM catalog.product p
      LEFT JOIN history h ON h.product_id = p.id
      LEFT JOIN available a ON a.product_id = p.id
      CROSS JOIN LATERAL catalog.product_timing_projection(as_of, h.first_at, coalesce(h.issued, 0), coalesce(a.available, 0), p.total_lead_days) t
     WHERE p.client_id = client AND p.id > after_id AND p.id <= batch_last
  ),
  updated AS (
    UPDATE catalog.product p
       SET projection_status = c.projection_status, average_daily_demand = c.average_daily_demand, demand_window_days = c.demand_window_days,
           projected_stockout_date = c.projected_stockout_date, last_order_by_date = c.last_order_by_date,
           timing_last_calculated = now()
      FROM calc c
     WHERE p.client_id = client AND p.id > after_id AND p.id <= batch_last AND p.id = c.id
       AND (p.timing_last_calculated IS NULL OR (p.timing_last_calculated AT TIME ZONE 'UTC')::date < as_of
            OR (p.projection_status, p.average_daily_demand, p.demand_window_days, p.projected_stockout_date, p.last_order_by_date)
               IS DISTINCT FROM (c.projection_status, c.average_daily_demand, c.demand_window_days, c.projected_stockout_date, c.last_order_by_date))
    RETURNING 1
  )
  SELECT count(*) INTO written FROM updated;
  RETURN QUERY SELECT batch_last, written;
END
$$;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] comments
-- Prisma has no comments.
COMMENT ON FUNCTION catalog.product_timing_projection(date, date, numeric, numeric, integer) IS 'The stockout and order-by formula of a product from its inputs as of as_of: first_at (the day of its first movement, NULL without any), issued (units issued since as_of - 90 days), available (on hand - reserved over its levels), total_lead_days. Status, ADU over the window (90 days, or since first_at when later), window days, projected stockout date, last order-by date. Shared by catalog.product_timing and catalog.backfill_product_timing.';
COMMENT ON FUNCTION catalog.product_timing(bigint) IS 'The stockout and order-by projection of one product of the client of app.client_id, computed now without writing (no row for another client''s or an unknown product): status, ADU over the last 90 days of issues (or since the first movement), window days, projected stockout date, last order-by date (catalog.product_timing_projection). The formula of backfill product-timing.';
COMMENT ON FUNCTION catalog.backfill_product_timing(bigint, integer) IS 'Batch function of backfill product-timing: the stockout and order-by projection (catalog.product_timing_projection) of the next batch_size products after after_id of the client of app.client_id (42501 without one), computed for the batch in one statement and written when changed or not yet computed today. Idempotent; returns the last id covered (NULL when none is left) and the products written.';
-- [CUSTOM_CHANGE_END]
