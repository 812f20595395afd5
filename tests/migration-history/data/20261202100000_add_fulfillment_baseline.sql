-- Fulfillment baseline: a user of the first client, an order request from one of its warehouses
-- with two items. Idempotent: the history test loads it again after each rollback and re-apply.
INSERT INTO fulfillment.app_user (client_id, email, name)
SELECT id, 'history@example.test', 'History user' FROM core.client ORDER BY id LIMIT 1
ON CONFLICT (client_id, email) DO NOTHING;
INSERT INTO fulfillment.order_request (client_id, order_number, customer_name, status, warehouse_id, requested_by_user_id)
SELECT w.client_id, 'HIST-ORD-1', 'History customer', 'APPROVED', w.id, u.id
  FROM catalog.warehouse w JOIN fulfillment.app_user u ON u.client_id = w.client_id AND u.email = 'history@example.test'
 ORDER BY w.id LIMIT 1
ON CONFLICT (client_id, order_number) DO NOTHING;
INSERT INTO fulfillment.order_request_item (client_id, order_request_id, product_id, quantity)
SELECT o.client_id, o.id, p.id, 5
  FROM fulfillment.order_request o JOIN catalog.product p ON p.client_id = o.client_id
 WHERE o.order_number = 'HIST-ORD-1'
 ORDER BY p.id LIMIT 2
ON CONFLICT (client_id, order_request_id, product_id) DO NOTHING;
