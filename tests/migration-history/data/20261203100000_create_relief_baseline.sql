-- A relief baseline as DMIS held it before EP-02: an event, two warehouses with settings, a product,
-- a transfer and a donation, of the client DEFAULT (the rollback of swap_tenant_keys refuses a second one). Idempotent: the history test loads it again after each
-- rollback and re-apply.
INSERT INTO catalog.warehouse (client_id, code, name)
SELECT c.id, v.code, v.name FROM core.client c, (VALUES ('HR-KGN', 'Kingston hub'), ('HR-MBJ', 'Montego Bay depot')) AS v(code, name)
 WHERE c.code = 'DEFAULT'
ON CONFLICT (client_id, code) DO NOTHING;
INSERT INTO catalog.product (client_id, sku, name)
SELECT c.id, 'HR-WATER', 'Water 5 l' FROM core.client c WHERE c.code = 'DEFAULT'
ON CONFLICT (client_id, sku) DO NOTHING;
INSERT INTO replenishment.event (client_id, code, name, event_type, started_at, updated_at, updated_by)
SELECT c.id, 'HR-MELISSA', 'Hurricane (history)', 'HURRICANE', '2025-10-28 06:00+00', '2025-10-29 08:00+00', 'dmis'
  FROM core.client c WHERE c.code = 'DEFAULT'
ON CONFLICT (client_id, code) DO NOTHING;
INSERT INTO replenishment.warehouse_setting (client_id, warehouse_id, event_id)
SELECT w.client_id, w.id, e.id FROM catalog.warehouse w JOIN replenishment.event e ON e.client_id = w.client_id AND e.code = 'HR-MELISSA'
 WHERE w.code IN ('HR-KGN', 'HR-MBJ')
ON CONFLICT (client_id, warehouse_id) DO NOTHING;
INSERT INTO replenishment.item_setting (client_id, product_id, category)
SELECT p.client_id, p.id, 'WATER' FROM catalog.product p WHERE p.sku = 'HR-WATER'
ON CONFLICT (client_id, product_id) DO NOTHING;
INSERT INTO replenishment.transfer (client_id, transfer_no, event_id, from_warehouse_id, to_warehouse_id)
SELECT e.client_id, 'HR-TR-1', e.id, f.id, t.id FROM replenishment.event e
  JOIN catalog.warehouse f ON f.client_id = e.client_id AND f.code = 'HR-KGN'
  JOIN catalog.warehouse t ON t.client_id = e.client_id AND t.code = 'HR-MBJ'
 WHERE e.code = 'HR-MELISSA'
ON CONFLICT (client_id, transfer_no) DO NOTHING;
-- Transfers DMIS had already dispatched and received: EP-02 records who dispatched and received
-- them, and through which transit warehouse, only from its own migration on.
INSERT INTO replenishment.transfer (client_id, transfer_no, event_id, from_warehouse_id, to_warehouse_id, status)
SELECT e.client_id, v.transfer_no, e.id, f.id, t.id, v.status FROM replenishment.event e
  JOIN catalog.warehouse f ON f.client_id = e.client_id AND f.code = 'HR-KGN'
  JOIN catalog.warehouse t ON t.client_id = e.client_id AND t.code = 'HR-MBJ'
  CROSS JOIN (VALUES ('HR-TR-2', 'DISPATCHED'), ('HR-TR-3', 'RECEIVED')) AS v(transfer_no, status)
 WHERE e.code = 'HR-MELISSA'
ON CONFLICT (client_id, transfer_no) DO NOTHING;
INSERT INTO replenishment.transfer_item (client_id, transfer_id, product_id, quantity)
SELECT t.client_id, t.id, p.id, 120 FROM replenishment.transfer t JOIN catalog.product p ON p.client_id = t.client_id AND p.sku = 'HR-WATER'
 WHERE t.transfer_no = 'HR-TR-1'
ON CONFLICT (client_id, transfer_id, product_id) DO NOTHING;
INSERT INTO replenishment.donation (client_id, donation_no, event_id, warehouse_id, donor_name, status)
SELECT e.client_id, 'HR-DN-1', e.id, w.id, 'history donor', 'CONFIRMED' FROM replenishment.event e
  JOIN catalog.warehouse w ON w.client_id = e.client_id AND w.code = 'HR-MBJ'
 WHERE e.code = 'HR-MELISSA'
ON CONFLICT (client_id, donation_no) DO NOTHING;
INSERT INTO replenishment.donation_item (client_id, donation_id, product_id, quantity)
SELECT d.client_id, d.id, p.id, 300 FROM replenishment.donation d JOIN catalog.product p ON p.client_id = d.client_id AND p.sku = 'HR-WATER'
 WHERE d.donation_no = 'HR-DN-1'
ON CONFLICT (client_id, donation_id, product_id) DO NOTHING;
