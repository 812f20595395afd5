-- supply-ledger: no-transaction
-- Rollback of add_shipment_item_client_id_shipment_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS fulfillment.shipment_item_client_id_shipment_id_idx;
