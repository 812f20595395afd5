-- Shipment tracking: a shipment of the history order by UPS with one item, carrier events (one
-- delivered twice), for the first client. Idempotent: the history test loads it again after each
-- rollback and re-apply (events are stored once; the item only when missing).
SELECT set_config('app.client_id', (SELECT min(id)::text FROM core.client), false);
INSERT INTO fulfillment.shipment (client_id, order_request_id, carrier_id, tracking_number)
SELECT o.client_id, o.id, c.id, 'HIST-1Z-1' FROM fulfillment.order_request o, fulfillment.carrier c
 WHERE o.order_number = 'HIST-ORD-1' AND c.code = 'UPS'
   AND NOT EXISTS (SELECT 1 FROM fulfillment.shipment s WHERE s.tracking_number = 'HIST-1Z-1');
INSERT INTO fulfillment.shipment_item (client_id, shipment_id, order_request_item_id, product_id, quantity)
SELECT s.client_id, s.id, i.id, i.product_id, 2
  FROM fulfillment.shipment s JOIN fulfillment.order_request_item i ON i.client_id = s.client_id AND i.order_request_id = s.order_request_id
 WHERE s.tracking_number = 'HIST-1Z-1'
   AND NOT EXISTS (SELECT 1 FROM fulfillment.shipment_item x WHERE x.shipment_id = s.id AND x.order_request_item_id = i.id);
SELECT fulfillment.ingest_carrier_events(jsonb_build_array(
  jsonb_build_object('shipment_id', s.id, 'event_id', 'hist-1', 'carrier_status_code', 'I', 'location', 'Memphis', 'occurred_at', '2026-11-01T10:00:00Z'),
  jsonb_build_object('shipment_id', s.id, 'event_id', 'hist-1', 'carrier_status_code', 'I', 'location', 'Memphis', 'occurred_at', '2026-11-01T10:00:00Z'),
  jsonb_build_object('shipment_id', s.id, 'event_id', 'hist-2', 'carrier_status_code', 'O', 'occurred_at', '2026-11-02T08:00:00Z')))
  FROM fulfillment.shipment s WHERE s.tracking_number = 'HIST-1Z-1';
SELECT set_config('app.client_id', '', false);
