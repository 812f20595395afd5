-- Rollback of add_client_id: keep the client of every row that is not client 1's (nothing, while
-- the database holds one client's data: swap_tenant_keys' rollback refuses before more), then drop
-- the foreign keys and the columns.
SELECT backup.preserve('catalog_brand_client_20261201090100', 'SELECT id, client_id FROM catalog.brand WHERE client_id <> 1');
SELECT backup.preserve('catalog_payment_term_client_20261201090100', 'SELECT id, client_id FROM catalog.payment_term WHERE client_id <> 1');
SELECT backup.preserve('catalog_warehouse_client_20261201090100', 'SELECT id, client_id FROM catalog.warehouse WHERE client_id <> 1');
SELECT backup.preserve('catalog_product_client_20261201090100', 'SELECT id, client_id FROM catalog.product WHERE client_id <> 1');
SELECT backup.preserve('catalog_supplier_client_20261201090100', 'SELECT id, client_id FROM catalog.supplier WHERE client_id <> 1');
SELECT backup.preserve('catalog_supplier_contact_client_20261201090100', 'SELECT id, client_id FROM catalog.supplier_contact WHERE client_id <> 1');
SELECT backup.preserve('inventory_stock_level_client_20261201090100', 'SELECT id, client_id FROM inventory.stock_level WHERE client_id <> 1');
SELECT backup.preserve('inventory_goods_receipt_client_20261201090100', 'SELECT id, client_id FROM inventory.goods_receipt WHERE client_id <> 1');
SELECT backup.preserve('inventory_stock_movement_client_20261201090100', 'SELECT id, client_id FROM inventory.stock_movement WHERE client_id <> 1');
SELECT backup.preserve('inventory_stock_count_client_20261201090100', 'SELECT id, client_id FROM inventory.stock_count WHERE client_id <> 1');
SELECT backup.preserve('inventory_stock_count_line_client_20261201090100', 'SELECT id, client_id FROM inventory.stock_count_line WHERE client_id <> 1');
SELECT backup.preserve('traceability_ingredient_client_20261201090100', 'SELECT id, client_id FROM traceability.ingredient WHERE client_id <> 1');
SELECT backup.preserve('traceability_ingredient_lot_client_20261201090100', 'SELECT id, client_id FROM traceability.ingredient_lot WHERE client_id <> 1');
SELECT backup.preserve('traceability_recipe_client_20261201090100', 'SELECT id, client_id FROM traceability.recipe WHERE client_id <> 1');
SELECT backup.preserve('traceability_recipe_ingredient_client_20261201090100', 'SELECT id, client_id FROM traceability.recipe_ingredient WHERE client_id <> 1');
SELECT backup.preserve('traceability_production_run_client_20261201090100', 'SELECT id, client_id FROM traceability.production_run WHERE client_id <> 1');
SELECT backup.preserve('traceability_batch_client_20261201090100', 'SELECT id, client_id FROM traceability.batch WHERE client_id <> 1');
SELECT backup.preserve('traceability_batch_ingredient_client_20261201090100', 'SELECT id, client_id FROM traceability.batch_ingredient WHERE client_id <> 1');
SELECT backup.preserve('traceability_pallet_client_20261201090100', 'SELECT id, client_id FROM traceability.pallet WHERE client_id <> 1');
SELECT backup.preserve('traceability_pallet_content_client_20261201090100', 'SELECT id, client_id FROM traceability.pallet_content WHERE client_id <> 1');
SELECT backup.preserve('audit_audit_log_client_20261201090100', 'SELECT id, client_id FROM audit.audit_log WHERE client_id <> 1');

ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.pallet_content DROP CONSTRAINT pallet_content_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.pallet DROP CONSTRAINT pallet_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.batch_ingredient DROP CONSTRAINT batch_ingredient_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.batch DROP CONSTRAINT batch_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.production_run DROP CONSTRAINT production_run_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.recipe_ingredient DROP CONSTRAINT recipe_ingredient_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.recipe DROP CONSTRAINT recipe_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.ingredient_lot DROP CONSTRAINT ingredient_lot_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE traceability.ingredient DROP CONSTRAINT ingredient_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE inventory.stock_count_line DROP CONSTRAINT stock_count_line_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE inventory.stock_count DROP CONSTRAINT stock_count_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE inventory.goods_receipt DROP CONSTRAINT goods_receipt_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE inventory.stock_level DROP CONSTRAINT stock_level_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.supplier_contact DROP CONSTRAINT supplier_contact_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.product DROP CONSTRAINT product_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.warehouse DROP CONSTRAINT warehouse_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.payment_term DROP CONSTRAINT payment_term_client_id_fkey, DROP COLUMN client_id;
ALTER TABLE catalog.brand DROP CONSTRAINT brand_client_id_fkey, DROP COLUMN client_id;
