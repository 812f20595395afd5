-- Checks of speed_up_product_timing_backfill: the formula is an inlinable SQL function (plain SQL,
-- IMMUTABLE, invoker's rights, no settings) that both projections go through, and as the owner the
-- batch stores for a product of each status what catalog.product_timing computes for it (probed
-- with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  a bigint;
  w bigint;
  mismatches integer;
BEGIN
  IF NOT coalesce((SELECT p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql') AND p.provolatile = 'i' AND NOT p.prosecdef AND p.proconfig IS NULL
                     FROM pg_proc p WHERE p.oid = to_regprocedure('catalog.product_timing_projection(date, date, numeric, numeric, integer)')), false) THEN
    RAISE EXCEPTION 'speed_up_product_timing_backfill: catalog.product_timing_projection is missing or not a plain IMMUTABLE SQL function';
  END IF;
  IF EXISTS (SELECT FROM pg_proc WHERE oid IN ('catalog.product_timing(bigint)'::regprocedure, 'catalog.backfill_product_timing(bigint, integer)'::regprocedure)
                                   AND position('catalog.product_timing_projection(' IN prosrc) = 0) THEN
    RAISE EXCEPTION 'speed_up_product_timing_backfill: catalog.product_timing or catalog.backfill_product_timing does not compute through catalog.product_timing_projection';
  END IF;
  INSERT INTO core.client (code, name) VALUES ('__validate_t__', 'probe') RETURNING id INTO a;
  PERFORM set_config('app.client_id', a::text, true);
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO w;
  -- Projected, no demand, too little history, stocked out, no movement at all.
  WITH p AS (
    INSERT INTO catalog.product (sku, name, supplier_lead_days) SELECT '__validate_' || g || '__', 'probe', 7 FROM generate_series(1, 5) g RETURNING id, sku
  )
  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
  SELECT v.t::inventory.movement_type, p.id, w, v.q, CASE WHEN v.q > 0 THEN 1 END, now() - make_interval(days => v.d)
    FROM p JOIN (VALUES ('__validate_1__', 'RECEIPT', 100, 60), ('__validate_1__', 'ISSUE', -60, 30), ('__validate_2__', 'RECEIPT', 5, 60),
                        ('__validate_3__', 'RECEIPT', 10, 3), ('__validate_4__', 'RECEIPT', 10, 60), ('__validate_4__', 'ISSUE', -10, 10)) v(sku, t, q, d)
      ON v.sku = p.sku
   ORDER BY v.d DESC;
  PERFORM catalog.backfill_product_timing(0, 2);
  PERFORM catalog.backfill_product_timing(id, 10) FROM catalog.product WHERE sku = '__validate_2__';
  SELECT count(*) INTO mismatches
    FROM catalog.product p CROSS JOIN LATERAL catalog.product_timing(p.id) t
   WHERE p.timing_last_calculated IS NULL
      OR (p.projection_status, p.average_daily_demand, p.demand_window_days, p.projected_stockout_date, p.last_order_by_date)
         IS DISTINCT FROM (t.projection_status, t.average_daily_demand, t.demand_window_days, t.projected_stockout_date, t.last_order_by_date);
  IF mismatches > 0 OR (SELECT count(DISTINCT projection_status) FROM catalog.product) <> 4 THEN
    RAISE EXCEPTION 'speed_up_product_timing_backfill: % product(s) stored unlike catalog.product_timing, or not every status probed', mismatches;
  END IF;
END
$$;
