-- Rollback of add_monitor_migration_performance: two functions, no data.
DROP FUNCTION ops.migration_lock_waits();
DROP FUNCTION ops.monitor_migration_performance();
