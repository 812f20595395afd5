-- Checks of create_catalog_inventory_baseline: the tables exist with their keys, and the receipt
-- checks refuse what they should (probed with writes; validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  missing text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['catalog.product', 'catalog.supplier', 'catalog.warehouse', 'inventory.stock_level', 'inventory.goods_receipt']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_catalog_inventory_baseline: missing tables: %', missing;
  END IF;

  -- Each under its name since swap_tenant_keys (issue 10) too, when it is unique per client.
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['catalog.product_sku_key', 'catalog.supplier_code_key', 'catalog.warehouse_code_key',
                      'inventory.stock_level_product_id_warehouse_id_key'],
                ARRAY['catalog.product_client_id_sku_key', 'catalog.supplier_client_id_code_key', 'catalog.warehouse_client_id_code_key',
                      'inventory.stock_level_client_id_product_id_warehouse_id_key']) AS key (wanted, per_client)
   WHERE to_regclass(wanted) IS NULL AND to_regclass(per_client) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_catalog_inventory_baseline: missing unique indexes: %', missing;
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  BEGIN
    INSERT INTO catalog.product (sku, name) VALUES ('__validate__', 'probe');
    INSERT INTO catalog.warehouse (code, name) VALUES ('__validate__', 'probe');
    INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost)
    SELECT p.id, w.id, 0, 1 FROM catalog.product p, catalog.warehouse w WHERE p.sku = '__validate__' AND w.code = '__validate__';
    RAISE EXCEPTION 'create_catalog_inventory_baseline: a goods receipt of quantity 0 was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;
