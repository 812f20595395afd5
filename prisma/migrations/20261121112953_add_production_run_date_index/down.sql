-- supply-ledger: no-transaction
-- Rollback of add_production_run_date_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.production_run_actual_start_time_actual_end_time_idx;
