-- supply-ledger: no-transaction
-- Rollback of add_pallet_client_id_pallet_number_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.pallet_client_id_pallet_number_key;
