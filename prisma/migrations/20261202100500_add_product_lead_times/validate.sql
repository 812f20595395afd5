-- Checks of add_product_lead_times: as supply_ledger_app the total is the sum of the components
-- whatever is written and a negative lead time is refused; as the owner the batch function projects
-- a product with demand and says why for one without (probed with writes: validate.sql always runs
-- rolled back).
DO $$
DECLARE
  a bigint;
  w bigint;
  p bigint;
  q bigint;
  r record;
BEGIN
  IF to_regprocedure('catalog.backfill_product_timing(bigint, integer)') IS NULL THEN
    RAISE EXCEPTION 'add_product_lead_times: catalog.backfill_product_timing is missing';
  END IF;
  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  PERFORM set_config('app.client_id', a::text, true);
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO w;
  INSERT INTO catalog.product (sku, name, supplier_lead_days, shipping_lead_days, total_lead_days) VALUES ('__validate_1__', 'probe', 7, 3, 99) RETURNING id INTO p;
  INSERT INTO catalog.product (sku, name) VALUES ('__validate_2__', 'probe') RETURNING id INTO q;
  IF (SELECT total_lead_days FROM catalog.product WHERE id = p) <> 10 THEN
    RAISE EXCEPTION 'add_product_lead_times: total_lead_days is not the sum of the components';
  END IF;
  BEGIN
    UPDATE catalog.product SET safety_buffer_days = -1 WHERE id = p;
    RAISE EXCEPTION 'add_product_lead_times: a negative lead time was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
  VALUES ('RECEIPT', p, w, 100, 1, now() - interval '60 days'), ('ISSUE', p, w, -60, NULL, now() - interval '30 days'),
         ('RECEIPT', q, w, 5, 1, now() - interval '60 days');
  SELECT * INTO r FROM catalog.backfill_product_timing(0, 10);
  IF r.last_id IS DISTINCT FROM q OR r.changed <> 2 THEN
    RAISE EXCEPTION 'add_product_lead_times: the batch covered % and wrote %', r.last_id, r.changed;
  END IF;
  -- 60 issued over 60 days: 1 a day; 40 available: stockout in 40 days, order 10 days before.
  IF (SELECT (projection_status, projected_stockout_date - current_date, projected_stockout_date - last_order_by_date) FROM catalog.product WHERE id = p)
     IS DISTINCT FROM ('PROJECTED'::catalog.projection_status, 40, 10) THEN
    RAISE EXCEPTION 'add_product_lead_times: unexpected projection %', (SELECT row(projection_status, projected_stockout_date, last_order_by_date) FROM catalog.product WHERE id = p);
  END IF;
  IF (SELECT projection_status FROM catalog.product WHERE id = q) IS DISTINCT FROM 'NO_DEMAND' THEN
    RAISE EXCEPTION 'add_product_lead_times: a product without demand is not NO_DEMAND';
  END IF;
  IF (SELECT changed FROM catalog.backfill_product_timing(0, 10)) <> 0 THEN
    RAISE EXCEPTION 'add_product_lead_times: a second run wrote again';
  END IF;
END
$$;
