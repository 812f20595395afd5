-- Checks of add_product_stock_settings: each setting refuses what makes no sense.
DO $$
DECLARE
  probe_client bigint;
  probe bigint;
  wrong text[];
  setting text;
BEGIN
  SELECT array_agg(wanted) INTO wrong
    FROM unnest(ARRAY['is_lot_tracked', 'shelf_life_days', 'reorder_point', 'reorder_qty', 'safety_stock']) AS wanted
   WHERE NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'catalog.product'::regclass AND attname = wanted AND NOT attisdropped);
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'add_product_stock_settings: catalog.product lacks %', array_to_string(wrong, ', ');
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  INSERT INTO catalog.product (sku, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe;
  FOREACH setting IN ARRAY ARRAY['shelf_life_days = 0', 'reorder_point = -1', 'reorder_qty = 0', 'safety_stock = -1'] LOOP
    BEGIN
      EXECUTE format('UPDATE catalog.product SET %s WHERE id = %s', setting, probe);
      wrong := wrong || setting;
    EXCEPTION WHEN check_violation THEN
      NULL;
    END;
  END LOOP;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'add_product_stock_settings: accepted %', array_to_string(wrong, ', ');
  END IF;
END
$$;
