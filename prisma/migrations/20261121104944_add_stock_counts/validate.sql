-- Checks of add_stock_counts: posting a count adjusts exactly the differences (probed with writes:
-- validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  probe_warehouse bigint;
  counted bigint;
  gained bigint;
  count_id bigint;
  posted integer;
  on_hand numeric;
BEGIN
  IF to_regprocedure('inventory.post_stock_count(bigint)') IS NULL THEN
    RAISE EXCEPTION 'add_stock_counts: inventory.post_stock_count(bigint) is missing';
  END IF;
  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe_warehouse;
  INSERT INTO catalog.product (sku, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO counted;
  INSERT INTO catalog.product (sku, name) VALUES ('__validate_b__', 'probe') RETURNING id INTO gained;
  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost)
  VALUES ('RECEIPT', counted, probe_warehouse, 10, 2);
  INSERT INTO inventory.stock_count (warehouse_id) VALUES (probe_warehouse) RETURNING id INTO count_id;
  INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES (count_id, counted, 7);
  INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty, unit_cost) VALUES (count_id, gained, 3, 1.5);
  posted := inventory.post_stock_count(count_id);
  SELECT qty_on_hand INTO on_hand FROM inventory.stock_level WHERE product_id = counted AND warehouse_id = probe_warehouse;
  IF posted <> 2 OR on_hand <> 7 THEN
    RAISE EXCEPTION 'add_stock_counts: posting counted 7 of 10 and 3 of 0 posted % movements and left % on hand', posted, on_hand;
  END IF;
  BEGIN
    PERFORM inventory.post_stock_count(count_id);
    RAISE EXCEPTION 'add_stock_counts: a count was posted twice';
  EXCEPTION WHEN restrict_violation THEN
    NULL;
  END;
  BEGIN
    UPDATE inventory.stock_count SET status = 'OPEN', posted_at = NULL WHERE id = count_id;
    RAISE EXCEPTION 'add_stock_counts: a posted count was reopened';
  EXCEPTION WHEN restrict_violation THEN
    NULL;
  END;
END
$$;
