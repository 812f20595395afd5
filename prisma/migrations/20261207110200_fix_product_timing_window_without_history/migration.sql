/*
 * fix_product_timing_window_without_history (issue 11, product lead times): a product without any
 * movement got a demand window of 90 days and an average daily demand of 0.0000, where the window
 * is documented as NULL without history (src/catalog/timing.ts, the COMMENT of
 * catalog.product_timing_projection: "90 days, or since first_at when later"). LEAST ignores a
 * NULL argument, so least(90, as_of - first_at) was 90 when first_at was NULL. The window is now
 * NULL without a first movement, and with it the average daily demand; the status (STOCKED_OUT:
 * nothing available) and the dates (NULL) do not change.
 *
 * Rows stored before keep the old figures until the next `npm run backfill -- product-timing`
 * (a batch writes every product whose projection changed).
 *
 * Locks: none on data (CREATE OR REPLACE FUNCTION). Expected runtime: instant.
 * Rollback: down.sql (the earlier body, word for word). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] no window without history
-- Prisma has no functions.
CREATE OR REPLACE FUNCTION catalog.product_timing_projection(as_of date, first_at date, issued numeric, available numeric, total_lead_days integer)
RETURNS TABLE (projection_status catalog.projection_status, average_daily_demand numeric, demand_window_days integer,
               projected_stockout_date date, last_order_by_date date)
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT c.status, c.adu, w.window_days, c.stockout, c.stockout - total_lead_days
    FROM (SELECT CASE WHEN first_at IS NOT NULL THEN least(90, as_of - first_at) END AS window_days) w
    CROSS JOIN LATERAL (
      SELECT CASE WHEN available <= 0 THEN 'STOCKED_OUT'
                  WHEN first_at IS NULL OR w.window_days < 14 THEN 'INSUFFICIENT_HISTORY'
                  WHEN issued <= 0 THEN 'NO_DEMAND'
                  ELSE 'PROJECTED' END::catalog.projection_status AS status,
             CASE WHEN w.window_days > 0 THEN round(issued / w.window_days, 4) END AS adu,
             CASE WHEN available > 0 AND w.window_days >= 14 AND issued > 0
                  THEN as_of + floor(available / (issued / w.window_days))::integer END AS stockout) c
$$;
-- [CUSTOM_CHANGE_END]
