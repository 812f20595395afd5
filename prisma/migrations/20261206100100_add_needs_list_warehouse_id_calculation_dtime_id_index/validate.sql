-- Checks of add_needs_list_warehouse_id_calculation_dtime_id_index: the index exists, is valid, and leads with warehouse_id, calculation_dtime, id.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indexrelid = to_regclass('replenishment.needs_list_warehouse_id_calculation_dtime_id_idx')
       AND i.indisvalid
       AND i.indrelid = 'replenishment.needs_list'::regclass
       AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'replenishment.needs_list'::regclass AND attname = 'warehouse_id')
       AND i.indkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'replenishment.needs_list'::regclass AND attname = 'calculation_dtime')
       AND i.indkey[2] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'replenishment.needs_list'::regclass AND attname = 'id')
  ) THEN
    RAISE EXCEPTION 'add_needs_list_warehouse_id_calculation_dtime_id_index: replenishment.needs_list_warehouse_id_calculation_dtime_id_idx is missing, invalid or not on (warehouse_id, calculation_dtime, id)';
  END IF;
END
$$;
