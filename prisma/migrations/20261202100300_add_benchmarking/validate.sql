-- Checks of add_benchmarking: the tables and functions exist; the application role cannot read raw
-- metrics, write snapshots or run the operator's functions; a snapshot of fewer than 5 participants
-- cannot exist; publishing skips a cohort of 4 and publishes one of 5 without P75/P90 (probed with
-- writes: validate.sql always runs rolled back).
DO $$
DECLARE
  missing text;
  c bigint;
  i integer;
  published integer;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['benchmark.benchmark_participation', 'benchmark.benchmark_client_metric', 'benchmark.benchmark_snapshot']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL OR to_regprocedure('benchmark.publish_snapshots(date)') IS NULL THEN
    RAISE EXCEPTION 'add_benchmarking: missing objects: %', coalesce(missing, 'benchmark.publish_snapshots');
  END IF;
  IF has_table_privilege('supply_ledger_app', 'benchmark.benchmark_client_metric', 'SELECT')
     OR has_table_privilege('supply_ledger_readonly', 'benchmark.benchmark_client_metric', 'SELECT')
     OR has_table_privilege('supply_ledger_app', 'benchmark.benchmark_snapshot', 'INSERT')
     OR has_function_privilege('supply_ledger_app', 'benchmark.publish_snapshots(date)', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_benchmarking: the application role may read raw metrics, write snapshots or publish';
  END IF;
  BEGIN
    INSERT INTO benchmark.benchmark_snapshot (industry, size_band, period, participant_count) VALUES ('X', 'SMALL', '2026-01-01', 4);
    RAISE EXCEPTION 'add_benchmarking: a snapshot of 4 participants was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;

  FOR i IN 1..5 LOOP
    INSERT INTO core.client (code, name) VALUES ('__validate_' || i || '__', 'probe') RETURNING id INTO c;
    INSERT INTO benchmark.benchmark_participation (client_id, industry, size_band, joined_at) VALUES (c, 'VALIDATE_PROBE', 'SMALL', '2025-01-01');
    INSERT INTO benchmark.benchmark_client_metric (client_id, period, product_count) VALUES (c, '2026-01-01', i * 10);
    IF i = 4 THEN
      published := benchmark.publish_snapshots('2026-01-01');
      IF EXISTS (SELECT 1 FROM benchmark.benchmark_snapshot WHERE industry = 'VALIDATE_PROBE') THEN
        RAISE EXCEPTION 'add_benchmarking: a cohort of 4 was published';
      END IF;
    END IF;
  END LOOP;
  PERFORM benchmark.publish_snapshots('2026-01-01');
  IF NOT EXISTS (SELECT 1 FROM benchmark.benchmark_snapshot WHERE industry = 'VALIDATE_PROBE' AND participant_count = 5
                  AND product_count_p50 = 30 AND product_count_p75 IS NULL AND product_count_p90 IS NULL) THEN
    RAISE EXCEPTION 'add_benchmarking: the cohort of 5 was not published as expected';
  END IF;
END
$$;
