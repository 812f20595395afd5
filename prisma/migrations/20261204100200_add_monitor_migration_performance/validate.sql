-- Checks of add_monitor_migration_performance: both functions answer, and the application role
-- may run neither.
DO $$
DECLARE
  observed record;
BEGIN
  IF to_regprocedure('ops.monitor_migration_performance()') IS NULL OR to_regprocedure('ops.migration_lock_waits()') IS NULL THEN
    RAISE EXCEPTION 'add_monitor_migration_performance: a monitoring function is missing';
  END IF;
  SELECT * INTO observed FROM ops.monitor_migration_performance();
  IF observed.observed_at IS NULL OR observed.waiting_queries IS NULL OR observed.disk_usage_gb IS NULL THEN
    RAISE EXCEPTION 'add_monitor_migration_performance: monitor_migration_performance() returned no figures';
  END IF;
  PERFORM * FROM ops.migration_lock_waits();
  IF has_function_privilege('supply_ledger_app', 'ops.monitor_migration_performance()', 'EXECUTE')
     OR has_function_privilege('supply_ledger_app', 'ops.migration_lock_waits()', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_monitor_migration_performance: supply_ledger_app may run a monitoring function';
  END IF;
END
$$;
