-- supply-ledger: no-transaction
-- Rollback of drop_shipment_item_batch_id_index, without blocking writes: the index again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "shipment_item_batch_id_idx" ON "fulfillment"."shipment_item"("batch_id");
