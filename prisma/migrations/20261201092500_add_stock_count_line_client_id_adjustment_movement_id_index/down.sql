-- supply-ledger: no-transaction
-- Rollback of add_stock_count_line_client_id_adjustment_movement_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS inventory.stock_count_line_client_id_adjustment_movement_id_key;
