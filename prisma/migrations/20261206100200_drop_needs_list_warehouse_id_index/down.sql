-- supply-ledger: no-transaction
-- Rollback of drop_needs_list_warehouse_id_index, without blocking writes: the index again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "needs_list_warehouse_id_idx" ON "replenishment"."needs_list"("warehouse_id");
