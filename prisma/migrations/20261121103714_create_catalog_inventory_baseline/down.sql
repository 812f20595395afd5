-- Rollback of create_catalog_inventory_baseline: keep every row in backup tables, then drop the
-- tables, dependants first, and the two schemas (RESTRICT, the default: a schema that still holds
-- objects means a later migration has not been rolled back).
SELECT backup.preserve('inventory_goods_receipt_20261121103714', 'SELECT * FROM inventory.goods_receipt');
SELECT backup.preserve('inventory_stock_level_20261121103714', 'SELECT * FROM inventory.stock_level');
SELECT backup.preserve('catalog_product_20261121103714', 'SELECT * FROM catalog.product');
SELECT backup.preserve('catalog_supplier_20261121103714', 'SELECT * FROM catalog.supplier');
SELECT backup.preserve('catalog_warehouse_20261121103714', 'SELECT * FROM catalog.warehouse');

DROP TABLE "inventory"."goods_receipt";
DROP TABLE "inventory"."stock_level";
DROP TABLE "catalog"."product";
DROP TABLE "catalog"."supplier";
DROP TABLE "catalog"."warehouse";
DROP SCHEMA "inventory";
DROP SCHEMA "catalog";
