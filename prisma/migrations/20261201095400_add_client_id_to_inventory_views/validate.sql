-- Checks of add_client_id_to_inventory_views: client_id leads the unique index of every inventory
-- materialized view, none is readable by the application roles, and the functions that read them
-- return one client's rows and refuse without a client (probed with writes: validate.sql always
-- runs rolled back).
DO $$
DECLARE
  wrong text;
  a bigint;
  b bigint;
  seen text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO wrong
    FROM unnest(ARRAY['inventory.mv_inventory_valuation_key', 'inventory.mv_product_stock_summary_key', 'inventory.mv_low_stock_alerts_key']) AS wanted
   WHERE NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute c ON c.attrelid = i.indrelid AND c.attnum = i.indkey[0]
                      WHERE i.indexrelid = to_regclass(wanted) AND i.indisunique AND c.attname = 'client_id');
  IF wrong IS NOT NULL OR to_regprocedure('inventory.valuation_by_warehouse()') IS NULL THEN
    RAISE EXCEPTION 'add_client_id_to_inventory_views: unique indexes not led by client_id, or the access functions missing: %', coalesce(wrong, 'functions');
  END IF;
  SELECT string_agg(c.oid::regclass::text, ', ') INTO wrong FROM pg_class c
   WHERE c.relkind = 'm' AND (has_table_privilege('supply_ledger_app', c.oid, 'SELECT') OR has_table_privilege('supply_ledger_readonly', c.oid, 'SELECT'));
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'add_client_id_to_inventory_views: materialized views readable by the application roles: %', wrong;
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  INSERT INTO core.client (code, name) VALUES ('__validate_b__', 'probe') RETURNING id INTO b;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (a, '__validate__', 'probe a'), (b, '__validate__', 'probe b');
  PERFORM inventory.refresh_all_inventory_views();
  PERFORM set_config('app.client_id', a::text, true);
  SELECT string_agg(warehouse_name, ', ') INTO seen FROM inventory.valuation_by_warehouse() WHERE warehouse_code = '__validate__';
  IF seen IS DISTINCT FROM 'probe a' THEN
    RAISE EXCEPTION 'add_client_id_to_inventory_views: client % values the warehouses %', a, coalesce(seen, 'none');
  END IF;
  PERFORM set_config('app.client_id', '', true);
  BEGIN
    PERFORM inventory.low_stock_alerts();
    RAISE EXCEPTION 'add_client_id_to_inventory_views: inventory.low_stock_alerts() answered with no client set';
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
END
$$;
