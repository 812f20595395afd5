-- supply-ledger: no-transaction
-- Rollback of add_pallet_client_id_sscc_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.pallet_client_id_sscc_key;
