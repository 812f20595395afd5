-- supply-ledger: no-transaction
-- Rollback of add_warehouse_client_id_gln_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.warehouse_client_id_gln_key;
