-- supply-ledger: no-transaction
-- Rollback of add_needs_list_warehouse_id_calculation_dtime_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS replenishment.needs_list_warehouse_id_calculation_dtime_id_idx;
