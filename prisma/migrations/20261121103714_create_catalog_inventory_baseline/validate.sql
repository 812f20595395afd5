-- Checks of create_catalog_inventory_baseline: the tables exist with their keys, and the receipt
-- checks refuse what they should (probed with writes; validate.sql always runs rolled back).
DO $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['catalog.product', 'catalog.supplier', 'catalog.warehouse', 'inventory.stock_level', 'inventory.goods_receipt']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_catalog_inventory_baseline: missing tables: %', missing;
  END IF;

  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['catalog.product_sku_key', 'catalog.supplier_code_key', 'catalog.warehouse_code_key',
                      'inventory.stock_level_product_id_warehouse_id_key']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_catalog_inventory_baseline: missing unique indexes: %', missing;
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
