-- Checks of use_product_lead_times_in_safety_stock: the lead_time_basis column and its check, and a
-- probe: two products of one client with the same demand and lead times of 4 and 16 days get safety
-- stocks in ratio 2 (sqrt(16/4)), each with its own L and basis PRODUCT; an override wins.
DO $$
DECLARE
  client bigint := (SELECT min(id) FROM core.client);
  warehouse bigint;
  short bigint;
  long bigint;
  ss_short numeric;
  ss_long numeric;
  basis text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'finance' AND table_name = 'cost_tracking' AND column_name = 'lead_time_basis')
     OR NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'finance.cost_tracking'::regclass AND conname = 'cost_tracking_lead_time_basis_check') THEN
    RAISE EXCEPTION 'use_product_lead_times_in_safety_stock: finance.cost_tracking.lead_time_basis or its check is missing';
  END IF;
  IF client IS NULL THEN
    RETURN;
  END IF;
  PERFORM set_config('app.client_id', client::text, true);
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (client, 'VALIDATE-LT-W', 'validate') RETURNING id INTO warehouse;
  INSERT INTO catalog.product (client_id, sku, name, supplier_lead_days) VALUES (client, 'VALIDATE-LT-4', 'validate', 4) RETURNING id INTO short;
  INSERT INTO catalog.product (client_id, sku, name, supplier_lead_days) VALUES (client, 'VALIDATE-LT-16', 'validate', 16) RETURNING id INTO long;
  INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
  SELECT client, t.type::inventory.movement_type, p.id, warehouse, t.quantity, t.cost, t.at
    FROM (VALUES (short), (long)) p (id),
         (VALUES ('RECEIPT', 100, 1, timestamptz '2099-01-01 08:00+00'), ('ISSUE', -10, NULL, timestamptz '2099-01-02 08:00+00'),
                 ('ISSUE', -30, NULL, timestamptz '2099-01-05 08:00+00')) t (type, quantity, cost, at);
  PERFORM finance.refresh_cost_tracking('2099-01-01');
  SELECT safety_stock INTO ss_short FROM finance.cost_tracking WHERE client_id = client AND product_id = short AND lead_time_days = 4 AND lead_time_basis = 'PRODUCT';
  SELECT safety_stock INTO ss_long FROM finance.cost_tracking WHERE client_id = client AND product_id = long AND lead_time_days = 16 AND lead_time_basis = 'PRODUCT';
  IF ss_short IS NULL OR ss_long IS NULL OR abs(ss_long - 2 * ss_short) > 0.0002 THEN
    RAISE EXCEPTION 'use_product_lead_times_in_safety_stock: safety stocks % (4 days) and % (16 days) are not in ratio 2 with the products'' lead times', ss_short, ss_long;
  END IF;
  PERFORM finance.refresh_cost_tracking('2099-01-01', 9);
  SELECT lead_time_basis::text INTO basis FROM finance.cost_tracking WHERE client_id = client AND product_id = long AND lead_time_days = 9;
  IF basis IS DISTINCT FROM 'OVERRIDE' THEN
    RAISE EXCEPTION 'use_product_lead_times_in_safety_stock: an explicit lead_days does not override the product''s lead time';
  END IF;
END
$$;
