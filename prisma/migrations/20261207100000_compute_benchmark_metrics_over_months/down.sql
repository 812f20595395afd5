-- Rollback of compute_benchmark_metrics_over_months: benchmark.compute_client_metrics(month)'s
-- earlier body (speed_up_benchmark_metrics), word for word, and its settings; the range function
-- dropped. No data: the metrics rows stay.
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
  -- One pass over the members' ledger up to the month's end, per stock level: the sequence of its
  -- last movement before the month's end and before its start (each row then found by its key),
  -- and its issues of the month and of the month before.
  ledger AS (
    SELECT sm.client_id, sm.product_id, sm.warehouse_id,
           max(sm.level_sequence) AS end_sequence,
           max(sm.level_sequence) FILTER (WHERE sm.occurred_at < month_start) AS start_sequence,
           -sum(sm.quantity) FILTER (WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= month_start) AS actual,
           -sum(sm.quantity) FILTER (WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= previous_start AND sm.occurred_at < month_start) AS forecast,
           -sum(sm.value_delta) FILTER (WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= month_start) AS cogs
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.occurred_at < month_end
     GROUP BY 1, 2, 3
  ),
  stock AS (
    SELECT l.client_id, count(*) FILTER (WHERE e.qty_after <= 0)::numeric / count(*) AS stockout_rate, sum(coalesce(e.value_after, 0)) AS closing
      FROM ledger l
      -- By key, one row per level (LIMIT 1 keeps the planner from hashing the whole ledger instead).
      CROSS JOIN LATERAL (SELECT e.qty_after, e.value_after FROM inventory.stock_movement e
                           WHERE e.client_id = l.client_id AND e.product_id = l.product_id AND e.warehouse_id = l.warehouse_id
                             AND e.level_sequence = l.end_sequence LIMIT 1) e
     GROUP BY 1
  ),
  opening AS (
    SELECT l.client_id, sum(coalesce(s.value_after, 0)) AS value
      FROM ledger l
      CROSS JOIN LATERAL (SELECT s.value_after FROM inventory.stock_movement s
                           WHERE s.client_id = l.client_id AND s.product_id = l.product_id AND s.warehouse_id = l.warehouse_id
                             AND s.level_sequence = l.start_sequence LIMIT 1) s
     GROUP BY 1
  ),
  issues AS (
    SELECT l.client_id, l.product_id, sum(l.actual) AS actual, sum(l.forecast) AS forecast, sum(l.cogs) AS cogs
      FROM ledger l GROUP BY 1, 2
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
-- The ledger pass is a scan and a hash aggregate: a merge join with the members walks the ledger's
-- level index instead, fetching every movement at random (3 to 4 times slower, measured).
ALTER FUNCTION benchmark.compute_client_metrics(date) SET enable_mergejoin = off;
-- Before PostgreSQL 18 the disabled method adds disable_cost (1e10) to any plan that still merges,
-- which passes jit_above_cost and JIT-compiles the statement (seconds of compile, no gain here).
ALTER FUNCTION benchmark.compute_client_metrics(date) SET jit = off;
DROP FUNCTION benchmark.compute_client_metrics(date, date);
