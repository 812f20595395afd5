-- Rollback of add_product_timing_function: the batch function's earlier body and comment
-- (add_product_lead_times), word for word, then the one-product function dropped. No data.
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

  WITH batch AS (
    SELECT p.id, p.total_lead_days FROM catalog.product p WHERE p.client_id = client AND p.id > after_id AND p.id <= batch_last
  ),
  history AS (
    SELECT b.id, h.first_at, h.issued
      FROM batch b
      CROSS JOIN LATERAL (
        SELECT (min(m.occurred_at) AT TIME ZONE 'UTC')::date AS first_at,
               -sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE' AND m.occurred_at >= ((as_of - 90)::timestamp AT TIME ZONE 'UTC')) AS issued
          FROM inventory.stock_movement m WHERE m.client_id = client AND m.product_id = b.id) h
  ),
  available AS (
    SELECT sl.product_id, sum(sl.qty_on_hand - sl.qty_reserved) AS available
      FROM inventory.stock_level sl JOIN batch b ON b.id = sl.product_id
     WHERE sl.client_id = client
     GROUP BY sl.product_id
  ),
  inputs AS (
    SELECT b.id, b.total_lead_days, coalesce(a.available, 0) AS available, h.first_at,
           least(90, as_of - h.first_at) AS window_days, coalesce(h.issued, 0) AS issued
      FROM batch b JOIN history h ON h.id = b.id LEFT JOIN available a ON a.product_id = b.id
  ),
  calc AS (
    SELECT i.id,
           CASE WHEN i.available <= 0 THEN 'STOCKED_OUT'
                WHEN i.first_at IS NULL OR i.window_days < 14 THEN 'INSUFFICIENT_HISTORY'
                WHEN i.issued <= 0 THEN 'NO_DEMAND'
                ELSE 'PROJECTED' END::catalog.projection_status AS status,
           CASE WHEN i.window_days > 0 THEN round(i.issued / i.window_days, 4) END AS adu,
           i.window_days,
           CASE WHEN i.available > 0 AND i.window_days >= 14 AND i.issued > 0
                THEN as_of + floor(i.available / (i.issued / i.window_days))::integer END AS stockout,
           i.total_lead_days
      FROM inputs i
  ),
  updated AS (
    UPDATE catalog.product p
       SET projection_status = c.status, average_daily_demand = c.adu, demand_window_days = c.window_days,
           projected_stockout_date = c.stockout, last_order_by_date = c.stockout - c.total_lead_days,
           timing_last_calculated = now()
      FROM calc c
     WHERE p.client_id = client AND p.id = c.id
       AND (p.timing_last_calculated IS NULL OR (p.timing_last_calculated AT TIME ZONE 'UTC')::date < as_of
            OR (p.projection_status, p.average_daily_demand, p.demand_window_days, p.projected_stockout_date, p.last_order_by_date)
               IS DISTINCT FROM (c.status, c.adu, c.window_days, c.stockout, c.stockout - c.total_lead_days))
    RETURNING 1
  )
  SELECT count(*) INTO written FROM updated;
  RETURN QUERY SELECT batch_last, written;
END
$$;
COMMENT ON FUNCTION catalog.backfill_product_timing(bigint, integer) IS 'Batch function of backfill product-timing: the stockout and order-by projection of the next batch_size products after after_id of the client of app.client_id (42501 without one), from the ledger''s last 90 days of issues and available stock. Idempotent; returns the last id covered (NULL when none is left) and the products written.';
DROP FUNCTION catalog.product_timing(bigint);
