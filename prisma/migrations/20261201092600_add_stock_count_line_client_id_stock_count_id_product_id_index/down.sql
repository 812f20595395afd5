-- supply-ledger: no-transaction
-- Rollback of add_stock_count_line_client_id_stock_count_id_product_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS inventory.stock_count_line_client_id_stock_count_id_product_id_key;
