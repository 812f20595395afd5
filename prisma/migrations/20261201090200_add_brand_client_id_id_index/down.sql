-- supply-ledger: no-transaction
-- Rollback of add_brand_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.brand_client_id_id_key;
