-- Rollback of add_shipment_tracking: keep shipments, their items and carrier events and the order
-- items' shipped quantities in backup tables (enum columns as text), then drop the functions, the
-- tables (dependants first), the shared reference data, the enum and order_request_item's column.
-- The ledger movements posted for shipments stay: the ledger is append-only (reference SHIPMENT).
SELECT backup.preserve('fulfillment_shipment_item_20261202100200', 'SELECT * FROM fulfillment.shipment_item');
SELECT backup.preserve('fulfillment_carrier_event_20261202100200',
  'SELECT id, client_id, shipment_id, event_id, carrier_status_code, status::text AS status, description, location, occurred_at, received_at, fingerprint, raw_payload FROM fulfillment.carrier_event');
SELECT backup.preserve('fulfillment_shipment_20261202100200',
  'SELECT s.id, s.client_id, s.order_request_id, c.code AS carrier_code, s.tracking_number, s.tracking_url, s.status::text AS status, s.progress_status::text AS progress_status,
          s.progress_rank, s.progress_at, s.exception_at, s.exception_reason, s.status_event_id, s.estimated_delivery_at, s.delivered_at, s.delivery_confirmation,
          s.shipped_at, s.raw_tracking_data, s.created_at, s.updated_at
     FROM fulfillment.shipment s JOIN fulfillment.carrier c ON c.id = s.carrier_id');
SELECT backup.preserve('fulfillment_order_request_item_shipped_20261202100200',
  'SELECT client_id, id, quantity_shipped FROM fulfillment.order_request_item WHERE quantity_shipped <> 0');

DROP FUNCTION fulfillment.post_shipment(bigint);
DROP FUNCTION fulfillment.ingest_carrier_events(jsonb);
DROP TRIGGER _100_guard_shipped ON "fulfillment"."order_request_item";
DROP FUNCTION fulfillment.tg_order_request_item__guard_shipped();
ALTER TABLE "fulfillment"."shipment" DROP CONSTRAINT "shipment_status_event_id_fkey";
DROP TABLE "fulfillment"."shipment_item";
DROP TABLE "fulfillment"."carrier_event";
DROP TABLE "fulfillment"."shipment";
DROP FUNCTION fulfillment.tg_shipment_item__count_shipped();
DROP FUNCTION fulfillment.tg_shipment__guard_status();
DROP FUNCTION fulfillment.tg_carrier_event__append_only();
DROP FUNCTION fulfillment.tg_carrier_event__advance_status();
DROP FUNCTION fulfillment.status_rank(fulfillment.shipment_status);
DROP TABLE "fulfillment"."carrier_status_map";
DROP TABLE "fulfillment"."carrier";
DROP TYPE "fulfillment"."shipment_status";
ALTER TABLE "fulfillment"."order_request_item" DROP CONSTRAINT "order_request_item_shipped_within_quantity_check";
ALTER TABLE "fulfillment"."order_request_item" DROP COLUMN "quantity_shipped";
