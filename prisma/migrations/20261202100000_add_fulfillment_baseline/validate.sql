-- Checks of add_fulfillment_baseline: the tables exist with row-level security forced; as
-- supply_ledger_app an order of one client cannot name another client's warehouse, an item's
-- quantity must be positive, and a client sees only its own orders (probed with writes: validate.sql
-- always runs rolled back).
DO $$
DECLARE
  missing text;
  a bigint;
  b bigint;
  warehouse_a bigint;
  warehouse_b bigint;
  product_a bigint;
  order_a bigint;
  seen bigint;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['fulfillment.app_user', 'fulfillment.order_request', 'fulfillment.order_request_item']) AS wanted
   WHERE to_regclass(wanted) IS NULL
      OR NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = to_regclass(wanted));
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'add_fulfillment_baseline: tables missing or without forced row-level security: %', missing;
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  INSERT INTO core.client (code, name) VALUES ('__validate_b__', 'probe') RETURNING id INTO b;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (a, '__validate__', 'probe a') RETURNING id INTO warehouse_a;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (b, '__validate__', 'probe b') RETURNING id INTO warehouse_b;
  INSERT INTO catalog.product (client_id, sku, name) VALUES (a, '__validate__', 'probe') RETURNING id INTO product_a;
  INSERT INTO fulfillment.order_request (client_id, order_number, customer_name, warehouse_id) VALUES (b, 'B-1', 'probe', warehouse_b);

  SET LOCAL ROLE supply_ledger_app;
  PERFORM set_config('app.client_id', a::text, true);
  BEGIN
    INSERT INTO fulfillment.order_request (order_number, customer_name, warehouse_id) VALUES ('A-X', 'probe', warehouse_b);
    RAISE EXCEPTION 'add_fulfillment_baseline: an order of one client named another client''s warehouse';
  EXCEPTION WHEN foreign_key_violation THEN
    NULL;
  END;
  INSERT INTO fulfillment.order_request (order_number, customer_name, warehouse_id) VALUES ('A-1', 'probe', warehouse_a) RETURNING id INTO order_a;
  BEGIN
    INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) VALUES (order_a, product_a, 0);
    RAISE EXCEPTION 'add_fulfillment_baseline: an item of quantity 0 was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  SELECT count(*) INTO seen FROM fulfillment.order_request;
  IF seen <> 1 THEN
    RAISE EXCEPTION 'add_fulfillment_baseline: client a sees % order requests, not its 1', seen;
  END IF;
END
$$;
