-- supply-ledger: no-transaction
-- Rollback of add_supplier_contact_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.supplier_contact_client_id_id_key;
