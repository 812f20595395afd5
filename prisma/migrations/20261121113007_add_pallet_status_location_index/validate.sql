-- Checks of add_pallet_status_location_index: the index exists and is valid.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('traceability.pallet_status_location_idx') AND indisvalid) THEN
    RAISE EXCEPTION 'add_pallet_status_location_index: traceability.pallet_status_location_idx is missing or invalid';
  END IF;
END
$$;
