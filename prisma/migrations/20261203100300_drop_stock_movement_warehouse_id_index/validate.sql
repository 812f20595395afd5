-- Checks of drop_stock_movement_warehouse_id_index: stock_movement_warehouse_id_idx is gone, and a
-- valid index still leads with warehouse_id (stock_movement_warehouse_id_occurred_at_idx).
DO $$
BEGIN
  IF to_regclass('inventory.stock_movement_warehouse_id_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'drop_stock_movement_warehouse_id_index: inventory.stock_movement_warehouse_id_idx still exists';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'inventory.stock_movement'::regclass
       AND i.indisvalid
       AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'inventory.stock_movement'::regclass AND attname = 'warehouse_id')
  ) THEN
    RAISE EXCEPTION 'drop_stock_movement_warehouse_id_index: no valid index of inventory.stock_movement leads with warehouse_id';
  END IF;
END
$$;
