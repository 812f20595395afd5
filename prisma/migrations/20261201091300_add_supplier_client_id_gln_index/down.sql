-- supply-ledger: no-transaction
-- Rollback of add_supplier_client_id_gln_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.supplier_client_id_gln_key;
