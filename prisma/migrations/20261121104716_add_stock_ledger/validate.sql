-- Checks of add_stock_ledger: the ledger agrees with the levels, the seed's success criteria, and
-- the trigger's core rules (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  wrong bigint;
  detail text;
  levels_in_stock bigint;
  levels_costed bigint;
  probe_product bigint;
  probe_warehouse bigint;
  level record;
BEGIN
  IF to_regclass('inventory.stock_movement') IS NULL THEN
    RAISE EXCEPTION 'add_stock_ledger: table inventory.stock_movement is missing';
  END IF;
  SELECT string_agg(conname, ', ') INTO detail FROM pg_constraint
   WHERE conrelid = 'inventory.stock_level'::regclass AND contype = 'c' AND NOT convalidated;
  IF detail IS NOT NULL THEN
    RAISE EXCEPTION 'add_stock_ledger: stock_level checks not validated: %', detail;
  END IF;

  -- The ledger agrees with every level (ERPNext's incorrect_balance report, as an assertion).
  SELECT count(*), string_agg(format('level %s: on hand %s, ledger %s', l.id, l.qty_on_hand, coalesce(m.total, 0)), '; ')
    INTO wrong, detail
    FROM inventory.stock_level l
    LEFT JOIN (SELECT product_id, warehouse_id, sum(quantity) AS total, count(*) AS moves, max(level_sequence) AS last_sequence
                 FROM inventory.stock_movement GROUP BY product_id, warehouse_id) m
      ON m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id
   WHERE l.qty_on_hand <> coalesce(m.total, 0) OR l.movement_count <> coalesce(m.moves, 0) OR l.movement_count <> coalesce(m.last_sequence, 0);
  IF wrong > 0 THEN
    RAISE EXCEPTION 'add_stock_ledger: % level(s) disagree with the ledger: %', wrong, detail;
  END IF;

  -- Seed: cost price coverage of at least 70% of active stock.
  SELECT count(*), count(cost_price) INTO levels_in_stock, levels_costed FROM inventory.stock_level WHERE qty_on_hand > 0;
  IF levels_in_stock > 0 AND levels_costed * 10 < levels_in_stock * 7 THEN
    RAISE EXCEPTION 'add_stock_ledger: cost price known for % of % levels in stock, below the 70%% the seed requires', levels_costed, levels_in_stock;
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- Seed trigger test: a RECEIPT of 10 at 50.00 sets the cost price.
  INSERT INTO catalog.product (sku, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe_product;
  INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe_warehouse;
  INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost)
  VALUES ('RECEIPT', probe_product, probe_warehouse, 10, 50.00);
  SELECT * INTO level FROM inventory.stock_level WHERE product_id = probe_product AND warehouse_id = probe_warehouse;
  IF level.qty_on_hand IS DISTINCT FROM 10 OR level.cost_price IS DISTINCT FROM 50 OR level.total_value IS DISTINCT FROM 500 THEN
    RAISE EXCEPTION 'add_stock_ledger: a RECEIPT of 10 at 50.00 left the level at % on hand, cost %, value %', level.qty_on_hand, level.cost_price, level.total_value;
  END IF;

  BEGIN
    UPDATE inventory.stock_movement SET quantity = 11 WHERE product_id = probe_product;
    RAISE EXCEPTION 'add_stock_ledger: a ledger row was updated';
  EXCEPTION WHEN restrict_violation THEN
    NULL;
  END;
END
$$;
