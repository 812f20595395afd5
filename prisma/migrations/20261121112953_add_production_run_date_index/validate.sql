-- Checks of add_production_run_date_index: the index exists and is valid.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('traceability.production_run_actual_start_time_actual_end_time_idx') AND indisvalid) THEN
    RAISE EXCEPTION 'add_production_run_date_index: traceability.production_run_actual_start_time_actual_end_time_idx is missing or invalid';
  END IF;
END
$$;
