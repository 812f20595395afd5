-- Rollback of speed_up_product_timing_backfill: the one-product function and the batch function
-- get their earlier bodies and comments (add_product_timing_function), word for word, then the
-- formula is dropped. No data.
CREATE OR REPLACE FUNCTION catalog.product_timing(product bigint)
RETURNS TABLE (projection_status catalog.projection_status, average_daily_demand numeric, demand_window_days integer,
               projected_stockout_date date, last_order_by_date date)
LANGUAGE sql
STABLE
AS $$
  SELECT c.status, c.adu, w.window_days, c.stockout, c.stockout - p.total_lead_days
    FROM catalog.product p
    CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'UTC')::date AS as_of) d
    CROSS JOIN LATERAL (
      SELECT (min(m.occurred_at) AT TIME ZONE 'UTC')::date AS first_at,
             coalesce(-sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE' AND m.occurred_at >= ((d.as_of - 90)::timestamp AT TIME ZONE 'UTC')), 0) AS issued
        FROM inventory.stock_movement m WHERE m.client_id = p.client_id AND m.product_id = p.id) h
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(sl.qty_on_hand - sl.qty_reserved), 0) AS available
        FROM inventory.stock_level sl WHERE sl.client_id = p.client_id AND sl.product_id = p.id) a
    CROSS JOIN LATERAL (SELECT least(90, d.as_of - h.first_at) AS window_days) w
    CROSS JOIN LATERAL (
      SELECT CASE WHEN a.available <= 0 THEN 'STOCKED_OUT'
                  WHEN h.first_at IS NULL OR w.window_days < 14 THEN 'INSUFFICIENT_HISTORY'
                  WHEN h.issued <= 0 THEN 'NO_DEMAND'
                  ELSE 'PROJECTED' END::catalog.projection_status AS status,
             CASE WHEN w.window_days > 0 THEN round(h.issued / w.window_days, 4) END AS adu,
             CASE WHEN a.available > 0 AND w.window_days >= 14 AND h.issued > 0
                  THEN d.as_of + floor(a.available / (h.issued / w.window_days))::integer END AS stockout) c
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

  WITH calc AS (
    SELECT p.id, t.projection_status, t.average_daily_demand, t.demand_window_days, t.projected_stockout_date, t.last_order_by_date
      FROM catalog.product p
      CROSS JOIN LATERAL catalog.product_timing(p.id) t
     WHERE p.client_id = client AND p.id > after_id AND p.id <= batch_last
  ),
  updated AS (
    UPDATE catalog.product p
       SET projection_status = c.projection_status, average_daily_demand = c.average_daily_demand, demand_window_days = c.demand_window_days,
           projected_stockout_date = c.projected_stockout_date, last_order_by_date = c.last_order_by_date,
           timing_last_calculated = now()
      FROM calc c
     WHERE p.client_id = client AND p.id = c.id
       AND (p.timing_last_calculated IS NULL OR (p.timing_last_calculated AT TIME ZONE 'UTC')::date < as_of
            OR (p.projection_status, p.average_daily_demand, p.demand_window_days, p.projected_stockout_date, p.last_order_by_date)
               IS DISTINCT FROM (c.projection_status, c.average_daily_demand, c.demand_window_days, c.projected_stockout_date, c.last_order_by_date))
    RETURNING 1
  )
  SELECT count(*) INTO written FROM updated;
  RETURN QUERY SELECT batch_last, written;
END
$$;
COMMENT ON FUNCTION catalog.product_timing(bigint) IS 'The stockout and order-by projection of one product of the client of app.client_id, computed now without writing (no row for another client''s or an unknown product): status, ADU over the last 90 days of issues (or since the first movement), window days, projected stockout date, last order-by date. The formula of backfill product-timing.';
COMMENT ON FUNCTION catalog.backfill_product_timing(bigint, integer) IS 'Batch function of backfill product-timing: the stockout and order-by projection (catalog.product_timing) of the next batch_size products after after_id of the client of app.client_id (42501 without one), written when changed or not yet computed today. Idempotent; returns the last id covered (NULL when none is left) and the products written.';
DROP FUNCTION catalog.product_timing_projection(date, date, numeric, numeric, integer);
