-- Rollback of use_product_lead_times_in_safety_stock: refresh_cost_tracking as add_financial_tracking
-- defined it (word for word), then the lead time bases kept in a backup table and dropped.
CREATE OR REPLACE FUNCTION finance.refresh_cost_tracking(for_month date, lead_days integer DEFAULT NULL, z numeric DEFAULT 1.6449)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  first_day date := date_trunc('month', for_month)::date;
  last_day date := (date_trunc('month', for_month) + interval '1 month - 1 day')::date;
  month_start timestamptz := (date_trunc('month', for_month)::date)::timestamp AT TIME ZONE 'UTC';
  month_end timestamptz := ((date_trunc('month', for_month) + interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  written integer;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'finance.refresh_cost_tracking: no client (set app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF lead_days < 0 OR z <= 0 THEN
    RAISE EXCEPTION 'finance.refresh_cost_tracking: lead time % and z % must not be negative', lead_days, z
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  WITH scope AS (
    -- Products with ledger history up to the month's end; the demand window is the year to its last
    -- day, or from the product's first movement when that is later.
    SELECT m.product_id, greatest(last_day - 364, (min(m.occurred_at) AT TIME ZONE 'UTC')::date) AS window_start
      FROM inventory.stock_movement m
     WHERE m.client_id = client AND m.occurred_at < month_end
     GROUP BY m.product_id
  ),
  month_moves AS (
    SELECT m.product_id,
           coalesce(sum(m.quantity) FILTER (WHERE m.movement_type = 'RECEIPT'), 0) AS purchases_qty,
           coalesce(sum(m.value_delta) FILTER (WHERE m.movement_type = 'RECEIPT'), 0) AS purchases_value,
           coalesce(-sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE'), 0) AS issued_qty,
           coalesce(-sum(m.value_delta) FILTER (WHERE m.movement_type = 'ISSUE'), 0) AS cogs_value,
           count(*) FILTER (WHERE m.movement_type = 'RECEIPT' AND m.quantity > 0) AS order_count
      FROM inventory.stock_movement m
     WHERE m.client_id = client AND m.occurred_at >= month_start AND m.occurred_at < month_end
     GROUP BY m.product_id
  ),
  -- Each level's value after its last movement before a point in time, summed per product.
  opening AS (
    SELECT l.product_id, sum(coalesce(l.value_after, 0)) AS value
      FROM (SELECT DISTINCT ON (m.product_id, m.warehouse_id) m.product_id, m.value_after
              FROM inventory.stock_movement m
             WHERE m.client_id = client AND m.occurred_at < month_start
             ORDER BY m.product_id, m.warehouse_id, m.level_sequence DESC) l
     GROUP BY l.product_id
  ),
  closing AS (
    SELECT l.product_id, sum(coalesce(l.value_after, 0)) AS value
      FROM (SELECT DISTINCT ON (m.product_id, m.warehouse_id) m.product_id, m.value_after
              FROM inventory.stock_movement m
             WHERE m.client_id = client AND m.occurred_at < month_end
             ORDER BY m.product_id, m.warehouse_id, m.level_sequence DESC) l
     GROUP BY l.product_id
  ),
  issues_by_day AS (
    SELECT m.product_id, (m.occurred_at AT TIME ZONE 'UTC')::date AS day, -sum(m.quantity) AS quantity
      FROM inventory.stock_movement m
     WHERE m.client_id = client AND m.movement_type = 'ISSUE'
       AND m.occurred_at >= ((last_day - 364)::timestamp AT TIME ZONE 'UTC') AND m.occurred_at < month_end
     GROUP BY 1, 2
  ),
  demand AS (
    SELECT s.product_id, count(*)::integer AS days, sum(coalesce(i.quantity, 0)) AS total,
           avg(coalesce(i.quantity, 0)) AS mean, stddev_samp(coalesce(i.quantity, 0)) AS sd
      FROM scope s
      CROSS JOIN LATERAL generate_series(s.window_start, last_day, interval '1 day') AS g(day)
      LEFT JOIN issues_by_day i ON i.product_id = s.product_id AND i.day = g.day::date
     GROUP BY s.product_id
  ),
  level_cost AS (
    SELECT sl.product_id, sum(sl.qty_on_hand * sl.cost_price) / NULLIF(sum(sl.qty_on_hand), 0) AS average
      FROM inventory.stock_level sl
     WHERE sl.client_id = client AND sl.qty_on_hand > 0 AND sl.cost_price IS NOT NULL
     GROUP BY sl.product_id
  ),
  inputs AS (
    SELECT s.product_id, coalesce(mm.purchases_qty, 0) AS purchases_qty, coalesce(mm.purchases_value, 0) AS purchases_value,
           coalesce(mm.issued_qty, 0) AS issued_qty, coalesce(mm.cogs_value, 0) AS cogs_value, coalesce(mm.order_count, 0) AS order_count,
           coalesce(o.value, 0) AS opening_value, coalesce(c.value, 0) AS closing_value,
           p.holding_cost_rate, p.reorder_cost, coalesce(p.unit_cost, lc.average) AS unit_cost,
           d.days, round(d.total * 365 / d.days, 4) AS annual_demand, d.mean, d.sd
      FROM scope s
      JOIN catalog.product p ON p.client_id = client AND p.id = s.product_id
      JOIN demand d ON d.product_id = s.product_id
      LEFT JOIN month_moves mm ON mm.product_id = s.product_id
      LEFT JOIN opening o ON o.product_id = s.product_id
      LEFT JOIN closing c ON c.product_id = s.product_id
      LEFT JOIN level_cost lc ON lc.product_id = s.product_id
  ),
  results AS (
    SELECT i.*, round(i.unit_cost * i.holding_cost_rate, 6) AS h,
           CASE WHEN i.annual_demand <= 0 THEN 'no demand in the demand window'
                WHEN i.reorder_cost IS NULL THEN 'reorder_cost not set'
                WHEN i.reorder_cost = 0 THEN 'reorder_cost is zero'
                WHEN i.holding_cost_rate IS NULL THEN 'holding_cost_rate not set'
                WHEN i.unit_cost IS NULL THEN 'unit cost unknown (no unit_cost, no valued stock)'
                WHEN round(i.unit_cost * i.holding_cost_rate, 6) = 0 THEN 'holding cost per unit is zero'
           END AS eoq_reason,
           CASE WHEN lead_days IS NULL THEN 'lead time unknown'
                WHEN i.days < 2 THEN 'too little history (fewer than 2 days of demand)'
                WHEN i.annual_demand <= 0 THEN 'no demand in the demand window'
           END AS ss_reason
      FROM inputs i
  )
  INSERT INTO finance.cost_tracking AS t
    (client_id, product_id, period, purchases_qty, purchases_value, issued_qty, cogs_value, opening_value, closing_value,
     average_inventory_value, holding_cost, order_count, ordering_cost, annual_demand, order_cost_per_order, holding_cost_per_unit,
     demand_window_days, eoq, eoq_null_reason, daily_demand_mean, daily_demand_stddev, service_z, lead_time_days, safety_stock,
     reorder_point, safety_stock_null_reason, computed_at)
  SELECT client, r.product_id, first_day, r.purchases_qty, r.purchases_value, r.issued_qty, r.cogs_value, r.opening_value, r.closing_value,
         round((r.opening_value + r.closing_value) / 2, 4),
         round((r.opening_value + r.closing_value) / 2 * r.holding_cost_rate / 12, 4),
         r.order_count, round(r.order_count * r.reorder_cost, 4),
         r.annual_demand, r.reorder_cost, r.h, r.days,
         CASE WHEN r.eoq_reason IS NULL THEN round(sqrt(2 * r.annual_demand * r.reorder_cost / r.h), 4) END, r.eoq_reason,
         round(r.mean, 4), round(r.sd, 4), z, lead_days,
         CASE WHEN r.ss_reason IS NULL THEN round(z * r.sd * sqrt(lead_days::numeric), 4) END,
         CASE WHEN r.ss_reason IS NULL THEN round(r.mean * lead_days + round(z * r.sd * sqrt(lead_days::numeric), 4), 4) END,
         r.ss_reason, clock_timestamp()
    FROM results r
  ON CONFLICT (client_id, product_id, period) DO UPDATE SET
    purchases_qty = EXCLUDED.purchases_qty, purchases_value = EXCLUDED.purchases_value, issued_qty = EXCLUDED.issued_qty,
    cogs_value = EXCLUDED.cogs_value, opening_value = EXCLUDED.opening_value, closing_value = EXCLUDED.closing_value,
    average_inventory_value = EXCLUDED.average_inventory_value, holding_cost = EXCLUDED.holding_cost, order_count = EXCLUDED.order_count,
    ordering_cost = EXCLUDED.ordering_cost, annual_demand = EXCLUDED.annual_demand, order_cost_per_order = EXCLUDED.order_cost_per_order,
    holding_cost_per_unit = EXCLUDED.holding_cost_per_unit, demand_window_days = EXCLUDED.demand_window_days, eoq = EXCLUDED.eoq,
    eoq_null_reason = EXCLUDED.eoq_null_reason, daily_demand_mean = EXCLUDED.daily_demand_mean, daily_demand_stddev = EXCLUDED.daily_demand_stddev,
    service_z = EXCLUDED.service_z, lead_time_days = EXCLUDED.lead_time_days, safety_stock = EXCLUDED.safety_stock,
    reorder_point = EXCLUDED.reorder_point, safety_stock_null_reason = EXCLUDED.safety_stock_null_reason, computed_at = EXCLUDED.computed_at;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
COMMENT ON FUNCTION finance.refresh_cost_tracking(date, integer, numeric) IS
  'Recomputes finance.cost_tracking for the month of the date, for the client of app.client_id (42501 without one): every product with ledger history by the month''s end. EOQ = sqrt(2DS/H), safety stock = z*sd*sqrt(L), reorder point = mean*L + SS, NULL with a reason when an input is missing or zero. Idempotent: replaces the month''s rows. Returns the rows written.';

SELECT backup.preserve('finance_cost_tracking_lead_time_basis_20261205100700',
  'SELECT client_id, id, lead_time_basis::text AS lead_time_basis FROM finance.cost_tracking WHERE lead_time_basis IS NOT NULL');
ALTER TABLE "finance"."cost_tracking" DROP CONSTRAINT "cost_tracking_lead_time_basis_check";
ALTER TABLE "finance"."cost_tracking" DROP COLUMN "lead_time_basis";
DROP TYPE "finance"."lead_time_basis";
