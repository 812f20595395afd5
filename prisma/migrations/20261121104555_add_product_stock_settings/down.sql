-- Rollback of add_product_stock_settings: keep the settings that were set, then drop the columns
-- (their checks go with them).
SELECT backup.preserve('catalog_product_stock_settings_20261121104555', $$
  SELECT id AS product_id, is_lot_tracked, shelf_life_days, reorder_point, reorder_qty, safety_stock
    FROM catalog.product
   WHERE is_lot_tracked OR num_nonnulls(shelf_life_days, reorder_point, reorder_qty, safety_stock) > 0
$$);

ALTER TABLE catalog.product
  DROP COLUMN IF EXISTS is_lot_tracked,
  DROP COLUMN IF EXISTS shelf_life_days,
  DROP COLUMN IF EXISTS reorder_point,
  DROP COLUMN IF EXISTS reorder_qty,
  DROP COLUMN IF EXISTS safety_stock;
