-- supply-ledger: no-transaction
-- Rollback of add_pallet_status_location_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.pallet_status_location_idx;
