-- Checks of add_shipment_tracking: the tables and functions exist, the carriers are there and shared;
-- as supply_ledger_app: an event ingested twice is stored once, a late IN_TRANSIT after DELIVERED
-- does not move the shipment back, over-shipping an order item is refused, posting a shipment posts
-- its ledger movement once (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  missing text;
  a bigint;
  warehouse_a bigint;
  product_a bigint;
  order_a bigint;
  item_a bigint;
  shipment_a bigint;
  events jsonb;
  n integer;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['fulfillment.carrier', 'fulfillment.carrier_status_map', 'fulfillment.shipment', 'fulfillment.carrier_event', 'fulfillment.shipment_item']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL OR to_regprocedure('fulfillment.post_shipment(bigint)') IS NULL OR to_regprocedure('fulfillment.ingest_carrier_events(jsonb)') IS NULL THEN
    RAISE EXCEPTION 'add_shipment_tracking: missing objects: %', coalesce(missing, 'functions');
  END IF;
  IF (SELECT count(*) FROM fulfillment.carrier) < 4 THEN
    RAISE EXCEPTION 'add_shipment_tracking: the carriers are missing';
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  SET LOCAL ROLE supply_ledger_app;
  PERFORM set_config('app.client_id', a::text, true);
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO warehouse_a;
  INSERT INTO catalog.product (sku, name) VALUES ('__validate__', 'probe') RETURNING id INTO product_a;
  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost) VALUES ('RECEIPT', product_a, warehouse_a, 10, 1);
  INSERT INTO fulfillment.order_request (order_number, customer_name, status, warehouse_id) VALUES ('V-1', 'probe', 'APPROVED', warehouse_a) RETURNING id INTO order_a;
  INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) VALUES (order_a, product_a, 5) RETURNING id INTO item_a;
  INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number)
  VALUES (order_a, (SELECT id FROM fulfillment.carrier WHERE code = 'UPS'), '1Z-VALIDATE') RETURNING id INTO shipment_a;
  INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES (shipment_a, item_a, product_a, 4);
  BEGIN
    INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES (shipment_a, item_a, product_a, 2);
    RAISE EXCEPTION 'add_shipment_tracking: 6 of an order item of 5 were shipped';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;

  events := jsonb_build_array(
    jsonb_build_object('shipment_id', shipment_a, 'event_id', 'e1', 'carrier_status_code', 'I', 'occurred_at', '2026-01-01T10:00:00Z'),
    jsonb_build_object('shipment_id', shipment_a, 'event_id', 'e2', 'carrier_status_code', 'D', 'occurred_at', '2026-01-02T10:00:00Z'));
  n := fulfillment.ingest_carrier_events(events);
  n := n + fulfillment.ingest_carrier_events(events);
  n := n + fulfillment.ingest_carrier_events(jsonb_build_array(
    jsonb_build_object('shipment_id', shipment_a, 'event_id', 'e3', 'carrier_status_code', 'I', 'occurred_at', '2026-01-03T10:00:00Z')));
  IF n <> 3 OR (SELECT count(*) FROM fulfillment.carrier_event WHERE shipment_id = shipment_a) <> 3 THEN
    RAISE EXCEPTION 'add_shipment_tracking: % events stored of 3 distinct (5 sent)', n;
  END IF;
  IF (SELECT status FROM fulfillment.shipment WHERE id = shipment_a) <> 'DELIVERED' THEN
    RAISE EXCEPTION 'add_shipment_tracking: a late IN_TRANSIT moved a delivered shipment to %', (SELECT status FROM fulfillment.shipment WHERE id = shipment_a);
  END IF;

  n := fulfillment.post_shipment(shipment_a) + fulfillment.post_shipment(shipment_a);
  IF n <> 1 OR (SELECT count(*) FROM inventory.stock_movement WHERE reference_type = 'SHIPMENT' AND reference_id = shipment_a::text) <> 1
     OR (SELECT qty_on_hand FROM inventory.stock_level WHERE product_id = product_a) <> 6 THEN
    RAISE EXCEPTION 'add_shipment_tracking: posting twice posted % movements', n;
  END IF;
END
$$;
