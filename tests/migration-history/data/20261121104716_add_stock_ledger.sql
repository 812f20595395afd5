-- Movements after the opening balances: a receipt, an issue, a transfer and a customer return.
-- Idempotency keys make the file safe to load again (the ledger posts a key once).
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, idempotency_key)
SELECT 'RECEIPT', p.id, w.id, 10, 52.00, 'GOODS_RECEIPT', 'GRN-2001', 'sample-receipt-1'
  FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'SKU-001' AND w.code = 'JHB';
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, reference_type, reference_id, idempotency_key)
SELECT 'ISSUE', p.id, w.id, -4, 'SALES_ORDER', 'SO-3001', 'sample-issue-1'
  FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'SKU-001' AND w.code = 'JHB';
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, transfer_id, reference_type, idempotency_key)
SELECT 'TRANSFER_OUT', p.id, w.id, -5, '7a2c9a36-0000-4000-8000-000000000001', 'TRANSFER', 'sample-transfer-out-1'
  FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'SKU-003' AND w.code = 'JHB';
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, transfer_id, reference_type, idempotency_key)
SELECT 'TRANSFER_IN', p.id, w.id, 5, '7a2c9a36-0000-4000-8000-000000000001', 'TRANSFER', 'sample-transfer-in-1'
  FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'SKU-003' AND w.code = 'CPT';
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, returns_movement_id, reference_type, idempotency_key)
SELECT 'RETURN_FROM_CUSTOMER', m.product_id, m.warehouse_id, 1, m.id, 'RETURN', 'sample-return-1'
  FROM inventory.stock_movement m WHERE m.idempotency_key = 'sample-issue-1';
