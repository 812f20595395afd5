-- supply-ledger: no-transaction
-- Rollback of add_stock_level_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS inventory.stock_level_client_id_id_key;
