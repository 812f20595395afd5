-- Rollback of speed_up_benchmark_metrics: benchmark.compute_client_metrics's earlier body
-- (add_benchmarking), word for word, and its settings. No data.
ALTER FUNCTION benchmark.compute_client_metrics(date) RESET ALL;
CREATE OR REPLACE FUNCTION benchmark.compute_client_metrics(for_month date)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  month_start timestamptz := (date_trunc('month', for_month)::date)::timestamp AT TIME ZONE 'UTC';
  month_end timestamptz := ((date_trunc('month', for_month) + interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  previous_start timestamptz := ((date_trunc('month', for_month) - interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  written integer;
BEGIN
  WITH member AS (
    SELECT p.client_id FROM benchmark.benchmark_participation p WHERE p.is_participating AND p.joined_at < month_end
  ),
  products AS (
    SELECT pr.client_id, count(*) AS n FROM catalog.product pr JOIN member m ON m.client_id = pr.client_id WHERE pr.is_active GROUP BY 1
  ),
  orders AS (
    SELECT o.client_id, count(*) AS n FROM fulfillment.order_request o JOIN member m ON m.client_id = o.client_id
     WHERE o.requested_at >= month_start AND o.requested_at < month_end GROUP BY 1
  ),
  level_end AS (
    SELECT DISTINCT ON (sm.client_id, sm.product_id, sm.warehouse_id) sm.client_id, sm.qty_after, sm.value_after
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.occurred_at < month_end
     ORDER BY sm.client_id, sm.product_id, sm.warehouse_id, sm.level_sequence DESC
  ),
  level_start AS (
    SELECT DISTINCT ON (sm.client_id, sm.product_id, sm.warehouse_id) sm.client_id, sm.value_after
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.occurred_at < month_start
     ORDER BY sm.client_id, sm.product_id, sm.warehouse_id, sm.level_sequence DESC
  ),
  stock AS (
    SELECT e.client_id, count(*) FILTER (WHERE e.qty_after <= 0)::numeric / count(*) AS stockout_rate, sum(coalesce(e.value_after, 0)) AS closing
      FROM level_end e GROUP BY 1
  ),
  opening AS (SELECT s.client_id, sum(coalesce(s.value_after, 0)) AS value FROM level_start s GROUP BY 1),
  issues AS (
    SELECT sm.client_id, sm.product_id,
           -sum(sm.quantity) FILTER (WHERE sm.occurred_at >= month_start) AS actual,
           -sum(sm.quantity) FILTER (WHERE sm.occurred_at < month_start) AS forecast,
           -sum(sm.value_delta) FILTER (WHERE sm.occurred_at >= month_start) AS cogs
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= previous_start AND sm.occurred_at < month_end
     GROUP BY 1, 2
  ),
  demand AS (
    SELECT i.client_id, sum(coalesce(i.actual, 0)) AS actual, sum(abs(coalesce(i.actual, 0) - coalesce(i.forecast, 0))) AS error,
           sum(coalesce(i.cogs, 0)) AS cogs
      FROM issues i GROUP BY 1
  )
  INSERT INTO benchmark.benchmark_client_metric AS t (client_id, period, product_count, order_frequency, stockout_rate, forecast_accuracy, inventory_turnover, computed_at)
  SELECT m.client_id, date_trunc('month', for_month)::date, coalesce(pr.n, 0), coalesce(o.n, 0), round(s.stockout_rate, 6),
         CASE WHEN d.actual > 0 THEN round(greatest(0, 1 - d.error / d.actual), 6) END,
         CASE WHEN (coalesce(op.value, 0) + coalesce(s.closing, 0)) > 0 THEN round(coalesce(d.cogs, 0) * 12 / ((coalesce(op.value, 0) + coalesce(s.closing, 0)) / 2), 4) END,
         clock_timestamp()
    FROM member m
    LEFT JOIN products pr ON pr.client_id = m.client_id
    LEFT JOIN orders o ON o.client_id = m.client_id
    LEFT JOIN stock s ON s.client_id = m.client_id
    LEFT JOIN opening op ON op.client_id = m.client_id
    LEFT JOIN demand d ON d.client_id = m.client_id
  ON CONFLICT (client_id, period) DO UPDATE SET
    product_count = EXCLUDED.product_count, order_frequency = EXCLUDED.order_frequency, stockout_rate = EXCLUDED.stockout_rate,
    forecast_accuracy = EXCLUDED.forecast_accuracy, inventory_turnover = EXCLUDED.inventory_turnover, computed_at = EXCLUDED.computed_at
  WHERE t.snapshot_id IS NULL;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
