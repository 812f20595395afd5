-- Checks of drop_needs_list_warehouse_id_index: needs_list_warehouse_id_idx is gone, and a valid index
-- still leads with warehouse_id (needs_list_warehouse_id_calculation_dtime_id_idx).
DO $$
BEGIN
  IF to_regclass('replenishment.needs_list_warehouse_id_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'drop_needs_list_warehouse_id_index: replenishment.needs_list_warehouse_id_idx still exists';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'replenishment.needs_list'::regclass
       AND i.indisvalid
       AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'replenishment.needs_list'::regclass AND attname = 'warehouse_id')
  ) THEN
    RAISE EXCEPTION 'drop_needs_list_warehouse_id_index: no valid index of replenishment.needs_list leads with warehouse_id';
  END IF;
END
$$;
