-- Checks of add_stock_movement_warehouse_id_occurred_at_index: the index exists, is valid, and leads with warehouse_id then occurred_at.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indexrelid = to_regclass('inventory.stock_movement_warehouse_id_occurred_at_idx')
       AND i.indisvalid
       AND i.indrelid = 'inventory.stock_movement'::regclass
       AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'inventory.stock_movement'::regclass AND attname = 'warehouse_id')
       AND i.indkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'inventory.stock_movement'::regclass AND attname = 'occurred_at')
  ) THEN
    RAISE EXCEPTION 'add_stock_movement_warehouse_id_occurred_at_index: inventory.stock_movement_warehouse_id_occurred_at_idx is missing, invalid or not on (warehouse_id, occurred_at)';
  END IF;
END
$$;
