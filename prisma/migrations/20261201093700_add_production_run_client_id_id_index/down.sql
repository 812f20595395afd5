-- supply-ledger: no-transaction
-- Rollback of add_production_run_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.production_run_client_id_id_key;
