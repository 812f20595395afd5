-- Checks of speed_up_benchmark_metrics: compute_client_metrics is still the operator's (SECURITY
-- DEFINER, search_path fixed, not executable by the application) and reads the ledger once.
DO $$
DECLARE
  fn pg_proc;
BEGIN
  SELECT * INTO fn FROM pg_proc WHERE oid = 'benchmark.compute_client_metrics(date)'::regprocedure;
  IF NOT fn.prosecdef OR NOT coalesce(fn.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) THEN
    RAISE EXCEPTION 'speed_up_benchmark_metrics: compute_client_metrics is not SECURITY DEFINER with a fixed search_path';
  END IF;
  IF has_function_privilege('supply_ledger_app', fn.oid, 'EXECUTE') THEN
    RAISE EXCEPTION 'speed_up_benchmark_metrics: the application role can run compute_client_metrics';
  END IF;
  IF position('DISTINCT ON' IN fn.prosrc) > 0 THEN
    RAISE EXCEPTION 'speed_up_benchmark_metrics: compute_client_metrics still sorts the ledger per level (DISTINCT ON)';
  END IF;
END
$$;
