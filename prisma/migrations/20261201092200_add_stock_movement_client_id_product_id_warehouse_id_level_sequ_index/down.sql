-- supply-ledger: no-transaction
-- Rollback of add_stock_movement_client_id_product_id_warehouse_id_level_sequ_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS inventory.stock_movement_client_id_product_id_warehouse_id_level_sequ_key;
