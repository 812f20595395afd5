-- supply-ledger: no-transaction
-- Rollback of drop_stock_movement_warehouse_id_index, without blocking writes: the index again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "stock_movement_warehouse_id_idx" ON "inventory"."stock_movement"("warehouse_id");
