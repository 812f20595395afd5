-- supply-ledger: no-transaction
-- Rollback of add_product_client_id_sku_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.product_client_id_sku_key;
