-- Stock settings for some products, so that the low-stock alerts have something to say.
UPDATE catalog.product SET reorder_point = 5, reorder_qty = 20, safety_stock = 2 WHERE sku IN ('SKU-001', 'SKU-002', 'SKU-011');
UPDATE catalog.product SET reorder_point = 100, reorder_qty = 200, shelf_life_days = 365, is_lot_tracked = true WHERE sku IN ('SKU-007', 'SKU-008');
