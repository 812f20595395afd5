-- Checks of add_financial_tracking: the tables, view and function exist; as supply_ledger_app a
-- negative product cost and overlapping budgets are refused; a month refreshed twice keeps one row
-- per product with the ledger's figures; EOQ is computed from stored inputs, and NULL with a reason
-- when an input is missing (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  missing text;
  a bigint;
  warehouse_a bigint;
  product_a bigint;
  row_count integer;
  ct record;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['finance.budget', 'finance.cost_tracking', 'finance.v_budget_variance']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL OR to_regprocedure('finance.refresh_cost_tracking(date, integer, numeric)') IS NULL THEN
    RAISE EXCEPTION 'add_financial_tracking: missing objects: %', coalesce(missing, 'finance.refresh_cost_tracking');
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  SET LOCAL ROLE supply_ledger_app;
  PERFORM set_config('app.client_id', a::text, true);
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO warehouse_a;
  INSERT INTO catalog.product (sku, name, reorder_cost, holding_cost_rate, unit_cost) VALUES ('__validate__', 'probe', 50, 0.25, 10) RETURNING id INTO product_a;
  BEGIN
    UPDATE catalog.product SET unit_cost = -1 WHERE id = product_a;
    RAISE EXCEPTION 'add_financial_tracking: a negative unit cost was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  INSERT INTO finance.budget (product_id, name, period_start, period_end, amount) VALUES (product_a, 'b1', '2026-01-01', '2026-01-31', 1000);
  BEGIN
    INSERT INTO finance.budget (product_id, name, period_start, period_end, amount) VALUES (product_a, 'b2', '2026-01-31', '2026-02-28', 1000);
    RAISE EXCEPTION 'add_financial_tracking: overlapping budgets of one product were accepted';
  EXCEPTION WHEN exclusion_violation THEN
    NULL;
  END;

  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
  VALUES ('RECEIPT', product_a, warehouse_a, 400, 10, '2026-01-01 08:00+00'),
         ('ISSUE', product_a, warehouse_a, -100, NULL, '2026-01-10 08:00+00');
  PERFORM finance.refresh_cost_tracking('2026-01-15');
  row_count := finance.refresh_cost_tracking('2026-01-15');
  SELECT * INTO ct FROM finance.cost_tracking WHERE product_id = product_a;
  IF row_count <> 1 OR (SELECT count(*) FROM finance.cost_tracking) <> 1 THEN
    RAISE EXCEPTION 'add_financial_tracking: refreshing a month twice wrote % rows', (SELECT count(*) FROM finance.cost_tracking);
  END IF;
  -- 31 days of history, 100 issued: D = 100 * 365 / 31 = 1177.4194; H = 10 * 0.25 = 2.5; EOQ = sqrt(2 * D * 50 / 2.5).
  IF ct.purchases_value <> 4000 OR ct.cogs_value <> 1000 OR ct.closing_value <> 3000 OR ct.demand_window_days <> 31
     OR ct.annual_demand <> 1177.4194 OR ct.eoq <> round(sqrt(2 * 1177.4194 * 50 / 2.5), 4) OR ct.eoq_null_reason IS NOT NULL
     OR ct.safety_stock IS NOT NULL OR ct.safety_stock_null_reason IS NULL THEN
    RAISE EXCEPTION 'add_financial_tracking: unexpected cost tracking row %', row_to_json(ct);
  END IF;
  UPDATE catalog.product SET reorder_cost = NULL WHERE id = product_a;
  PERFORM finance.refresh_cost_tracking('2026-01-01');
  SELECT * INTO ct FROM finance.cost_tracking WHERE product_id = product_a;
  IF ct.eoq IS NOT NULL OR ct.eoq_null_reason IS DISTINCT FROM 'reorder_cost not set' THEN
    RAISE EXCEPTION 'add_financial_tracking: EOQ without a reorder cost is %, reason %', ct.eoq, ct.eoq_null_reason;
  END IF;
END
$$;
