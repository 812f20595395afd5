-- Shipment trace edges: the history order's recipient gets a phone and a GLN, and its shipment's
-- item the first client's first batch, so that the trace views hold a BATCH -> SHIPMENT edge and a
-- SHIPMENT node when down.sql runs. Idempotent (the same values again).
SELECT set_config('app.client_id', (SELECT min(id)::text FROM core.client), false);
UPDATE fulfillment.order_request SET ship_to_phone = '+1 555 0142', ship_to_gln = '0614141000012' WHERE order_number = 'HIST-ORD-1';
UPDATE fulfillment.shipment_item i SET batch_id = (SELECT min(b.id) FROM traceability.batch b WHERE b.client_id = i.client_id)
  FROM fulfillment.shipment s
 WHERE s.client_id = i.client_id AND s.id = i.shipment_id AND s.tracking_number = 'HIST-1Z-1';
SELECT set_config('app.client_id', '', false);
