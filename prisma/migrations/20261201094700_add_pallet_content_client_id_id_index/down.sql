-- supply-ledger: no-transaction
-- Rollback of add_pallet_content_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.pallet_content_client_id_id_key;
