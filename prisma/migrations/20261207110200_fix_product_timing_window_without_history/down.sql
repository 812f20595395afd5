-- Rollback of fix_product_timing_window_without_history: the formula's earlier body, word for word
-- (a product without movements gets a window of 90 days and an ADU of 0 again).
CREATE OR REPLACE FUNCTION catalog.product_timing_projection(as_of date, first_at date, issued numeric, available numeric, total_lead_days integer)
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
