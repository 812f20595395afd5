/*
 * compute_benchmark_metrics_over_months (issue 11, benchmark): benchmark.compute_client_metrics over
 * a range of months in one pass over the ledger, with the same metrics as month by month.
 *
 * Measured before (bench:fulfillment snapshot case, 1,000 participants x 20 products, 1,040,000
 * movements over 13 months): compute_client_metrics(month) reads every movement before the month's
 * end, so a year of months read the ledger 12 times over, 2.8 s (January) to 12 s (October), 93.7 s
 * for 12 months with publishing. A month cannot be computed from that month's movements alone: the
 * stock of a level at the month's end is the on-hand after its highest level_sequence among the
 * movements that occurred before it, and a backdated movement (posted later, occurred earlier) can
 * be that one whatever came after it, so no index probe finds it without reading the history.
 *
 * Now benchmark.compute_client_metrics(from_month, to_month) reads the members' ledger up to the
 * last month's end once, aggregated per stock level and month of occurrence (hash or sort: no
 * index walk): the last movement posted in each (the maximum of ARRAY[level_sequence, qty_after,
 * value_after]: level_sequence is unique per level, so the array's maximum is that row) and the
 * issues. A running maximum per level over its months gives the last movement before each month's
 * end and start; a month without movements repeats the month before's. The per-month metrics
 * (docs/design/fulfillment.md, "How the metrics are computed") are unchanged: each month's members
 * (joined before its end), its orders, stockouts and opening/closing values, its and the month
 * before's issues; months already published are not recomputed. compute_client_metrics(month) is
 * now the range of that one month.
 *
 * Measured after (same data, old function month by month against the range, one database,
 * alternating, machine load about 9): PostgreSQL 18 38.9 / 30.2 s against 12.5 / 7.2 s, PostgreSQL
 * 15 31.8 / 26.2 s against 7.3 / 8.3 s; the same 12,000 rows.
 *
 * Locks: none on data (CREATE FUNCTION, CREATE OR REPLACE FUNCTION). Expected runtime: instant.
 * Rollback: down.sql (the one-month function's earlier body, word for word, and its settings; the
 * range function dropped). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] the metrics of a range of months in one pass over the ledger
-- Prisma has no functions.
CREATE FUNCTION benchmark.compute_client_metrics(from_month date, to_month date)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  first_month date := date_trunc('month', from_month)::date;
  last_month date := date_trunc('month', to_month)::date;
  -- The forecast of the first month is the month before's issues; anything earlier only places levels.
  history_start timestamptz := ((date_trunc('month', from_month) - interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  range_start timestamptz := (date_trunc('month', from_month)::date)::timestamp AT TIME ZONE 'UTC';
  range_end timestamptz := ((date_trunc('month', to_month) + interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  written integer;
BEGIN
  IF last_month < first_month THEN
    RAISE EXCEPTION 'compute_client_metrics: to_month % is before from_month %', to_month, from_month USING ERRCODE = '22023';
  END IF;
  WITH month AS (
    SELECT g::date AS period, (g::date)::timestamp AT TIME ZONE 'UTC' AS month_start,
           ((g + interval '1 month')::date)::timestamp AT TIME ZONE 'UTC' AS month_end
      FROM generate_series(first_month::timestamp, last_month::timestamp, interval '1 month') g
  ),
  member AS (
    SELECT p.client_id, mo.period, mo.month_start, mo.month_end
      FROM benchmark.benchmark_participation p JOIN month mo ON p.joined_at < mo.month_end
     WHERE p.is_participating
  ),
  products AS (
    SELECT pr.client_id, count(*) AS n FROM catalog.product pr
     WHERE pr.is_active AND pr.client_id IN (SELECT client_id FROM member) GROUP BY 1
  ),
  orders AS (
    SELECT o.client_id, date_trunc('month', o.requested_at AT TIME ZONE 'UTC')::date AS period, count(*) AS n
      FROM fulfillment.order_request o
     WHERE o.requested_at >= range_start AND o.requested_at < range_end
     GROUP BY 1, 2
  ),
  -- One pass over the members' ledger up to the last month's end, per stock level and month of
  -- occurrence (everything before the first month's forecast month in that month): the last
  -- movement posted (its sequence, on-hand and value after: the array's maximum is the row of the
  -- highest level_sequence, unique per level) and the issues.
  ledger AS (
    SELECT sm.client_id, sm.product_id, sm.warehouse_id,
           greatest(date_trunc('month', sm.occurred_at AT TIME ZONE 'UTC')::date, (first_month - interval '1 month')::date) AS bucket,
           max(ARRAY[sm.level_sequence::numeric, sm.qty_after, sm.value_after]) AS last_movement,
           -sum(sm.quantity) FILTER (WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= history_start) AS issued,
           -sum(sm.value_delta) FILTER (WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= history_start) AS issued_value
      FROM inventory.stock_movement sm
     WHERE sm.occurred_at < range_end AND sm.client_id IN (SELECT client_id FROM member)
     GROUP BY 1, 2, 3, 4
  ),
  -- Per level and month from its first movement's: the last movement before the month's end (the
  -- running maximum over its months with movements, repeated over the months without) and before
  -- its start (the month before's).
  running AS (
    SELECT r.*, lag(r.at_end) OVER (PARTITION BY r.client_id, r.product_id, r.warehouse_id ORDER BY r.bucket) AS before_end
      FROM (SELECT l.client_id, l.product_id, l.warehouse_id, l.bucket,
                   max(l.last_movement) OVER w AS at_end, lead(l.bucket) OVER w AS next_bucket
              FROM ledger l WINDOW w AS (PARTITION BY l.client_id, l.product_id, l.warehouse_id ORDER BY l.bucket)) r
  ),
  stock AS (
    SELECT r.client_id, mo.period, count(*) FILTER (WHERE r.at_end[2] <= 0)::numeric / count(*) AS stockout_rate,
           sum(coalesce(r.at_end[3], 0)) AS closing,
           sum(coalesce((CASE WHEN mo.period > r.bucket THEN r.at_end ELSE r.before_end END)[3], 0)) AS opening
      FROM running r
     CROSS JOIN LATERAL (SELECT g::date AS period
                           FROM generate_series(greatest(r.bucket, first_month)::timestamp, coalesce(r.next_bucket - interval '1 month', last_month::timestamp), interval '1 month') g) mo
     GROUP BY 1, 2
  ),
  -- The issues per product: a month's, and the month after's forecast.
  issues AS (
    SELECT i.client_id, i.product_id, i.period, sum(i.issued) FILTER (WHERE i.actual) AS actual,
           sum(i.issued) FILTER (WHERE NOT i.actual) AS forecast, sum(i.issued_value) FILTER (WHERE i.actual) AS cogs
      FROM (SELECT l.client_id, l.product_id, l.bucket AS period, true AS actual, l.issued, l.issued_value FROM ledger l WHERE l.issued IS NOT NULL
            UNION ALL
            SELECT l.client_id, l.product_id, (l.bucket + interval '1 month')::date, false, l.issued, NULL FROM ledger l WHERE l.issued IS NOT NULL) i
     GROUP BY 1, 2, 3
  ),
  demand AS (
    SELECT i.client_id, i.period, sum(coalesce(i.actual, 0)) AS actual,
           sum(abs(coalesce(i.actual, 0) - coalesce(i.forecast, 0))) AS error, sum(coalesce(i.cogs, 0)) AS cogs
      FROM issues i GROUP BY 1, 2
  )
  INSERT INTO benchmark.benchmark_client_metric AS t (client_id, period, product_count, order_frequency, stockout_rate, forecast_accuracy, inventory_turnover, computed_at)
  SELECT m.client_id, m.period, coalesce(pr.n, 0), coalesce(o.n, 0), round(s.stockout_rate, 6),
         CASE WHEN d.actual > 0 THEN round(greatest(0, 1 - d.error / d.actual), 6) END,
         CASE WHEN (coalesce(s.opening, 0) + coalesce(s.closing, 0)) > 0 THEN round(coalesce(d.cogs, 0) * 12 / ((coalesce(s.opening, 0) + coalesce(s.closing, 0)) / 2), 4) END,
         clock_timestamp()
    FROM member m
    LEFT JOIN products pr ON pr.client_id = m.client_id
    LEFT JOIN orders o ON o.client_id = m.client_id AND o.period = m.period
    LEFT JOIN stock s ON s.client_id = m.client_id AND s.period = m.period
    LEFT JOIN demand d ON d.client_id = m.client_id AND d.period = m.period
  ON CONFLICT (client_id, period) DO UPDATE SET
    product_count = EXCLUDED.product_count, order_frequency = EXCLUDED.order_frequency, stockout_rate = EXCLUDED.stockout_rate,
    forecast_accuracy = EXCLUDED.forecast_accuracy, inventory_turnover = EXCLUDED.inventory_turnover, computed_at = EXCLUDED.computed_at
  WHERE t.snapshot_id IS NULL;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
CREATE OR REPLACE FUNCTION benchmark.compute_client_metrics(for_month date)
RETURNS integer
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT benchmark.compute_client_metrics(for_month, for_month);
$$;
-- The ledger pass is a scan and an aggregate: PostgreSQL 18 merges the members with the ledger's
-- level index instead (sorted for the aggregate), every movement a fetch (EXPLAIN ANALYZE: 3.0 s
-- for the index walk where the scan takes 0.2 to 1.4 s).
ALTER FUNCTION benchmark.compute_client_metrics(date, date) SET enable_mergejoin = off;
-- The plan's estimates multiply (on PostgreSQL 15 a series of 1,000 months by the members by the
-- ledger) far past jit_above_cost, and before PostgreSQL 18 the disabled merge join's cost as well: on
-- PostgreSQL 15 with JIT, 1.9 s of compiling for a 1.5 s query (measured).
ALTER FUNCTION benchmark.compute_client_metrics(date, date) SET jit = off;
REVOKE EXECUTE ON FUNCTION benchmark.compute_client_metrics(date, date) FROM PUBLIC, supply_ledger_app, supply_ledger_readonly;
COMMENT ON FUNCTION benchmark.compute_client_metrics(date, date) IS 'Operator only. Computes every participant''s metrics for each month from from_month to to_month (first days taken) from its own data, reading the ledger once; replaces months'' rows not yet published. Returns the rows written.';
-- [CUSTOM_CHANGE_END]
