-- Checks of compute_benchmark_metrics_over_months: both compute_client_metrics functions are the
-- operator's (SECURITY DEFINER, search_path fixed, not executable by the application or readonly
-- roles), the range function runs without JIT, and the one-month function is the range of its month.
DO $$
DECLARE
  single regprocedure := to_regprocedure('benchmark.compute_client_metrics(date)');
  range regprocedure := to_regprocedure('benchmark.compute_client_metrics(date, date)');
  fn pg_proc;
BEGIN
  IF range IS NULL THEN
    RAISE EXCEPTION 'compute_benchmark_metrics_over_months: benchmark.compute_client_metrics(date, date) is missing';
  END IF;
  FOR fn IN SELECT * FROM pg_proc WHERE oid IN (single, range) LOOP
    IF NOT fn.prosecdef OR NOT coalesce(fn.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false) THEN
      RAISE EXCEPTION 'compute_benchmark_metrics_over_months: % is not SECURITY DEFINER with a fixed search_path', fn.oid::regprocedure;
    END IF;
    IF has_function_privilege('supply_ledger_app', fn.oid, 'EXECUTE') OR has_function_privilege('supply_ledger_readonly', fn.oid, 'EXECUTE') THEN
      RAISE EXCEPTION 'compute_benchmark_metrics_over_months: the application or readonly role can run %', fn.oid::regprocedure;
    END IF;
  END LOOP;
  IF NOT coalesce((SELECT proconfig @> ARRAY['jit=off'] FROM pg_proc WHERE oid = range), false) THEN
    RAISE EXCEPTION 'compute_benchmark_metrics_over_months: the range function does not turn JIT off';
  END IF;
  IF position('compute_client_metrics(for_month, for_month)' IN (SELECT prosrc FROM pg_proc WHERE oid = single)) = 0 THEN
    RAISE EXCEPTION 'compute_benchmark_metrics_over_months: compute_client_metrics(month) is not the range of its month';
  END IF;
END
$$;
