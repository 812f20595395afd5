-- Checks of add_product_timing_function: the one-product projection exists for the application,
-- is inlinable (plain SQL, STABLE, invoker's rights), and the batch job goes through it.
DO $$
BEGIN
  IF to_regprocedure('catalog.product_timing(bigint)') IS NULL THEN
    RAISE EXCEPTION 'add_product_timing_function: catalog.product_timing(bigint) is missing';
  END IF;
  IF NOT (SELECT p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql') AND p.provolatile = 's' AND NOT p.prosecdef AND p.proconfig IS NULL
            FROM pg_proc p WHERE p.oid = 'catalog.product_timing(bigint)'::regprocedure) THEN
    RAISE EXCEPTION 'add_product_timing_function: catalog.product_timing is not a plain STABLE SQL function with the invoker''s rights';
  END IF;
  IF NOT has_function_privilege('supply_ledger_app', 'catalog.product_timing(bigint)', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_product_timing_function: the application role cannot run catalog.product_timing';
  END IF;
  IF position('catalog.product_timing' IN (SELECT prosrc FROM pg_proc WHERE oid = 'catalog.backfill_product_timing(bigint, integer)'::regprocedure)) = 0 THEN
    RAISE EXCEPTION 'add_product_timing_function: catalog.backfill_product_timing does not compute through catalog.product_timing';
  END IF;
END
$$;
