-- Rollback of add_benchmarking: keep participation, metrics and snapshots in backup tables (enum
-- columns as text), then drop the functions, the tables, the enum, the schema's default privileges
-- and the schema (RESTRICT).
SELECT backup.preserve('benchmark_participation_20261202100300',
  'SELECT id, client_id, anonymous_id, industry, size_band::text AS size_band, is_participating, joined_at, left_at, created_at, updated_at FROM benchmark.benchmark_participation');
SELECT backup.preserve('benchmark_client_metric_20261202100300', 'SELECT * FROM benchmark.benchmark_client_metric');
SELECT backup.preserve('benchmark_snapshot_20261202100300',
  'SELECT id, industry, size_band::text AS size_band, period, participant_count, product_count_p25, product_count_p50, product_count_p75, product_count_p90, order_frequency_p25, order_frequency_p50, order_frequency_p75, order_frequency_p90, stockout_rate_p25, stockout_rate_p50, stockout_rate_p75, stockout_rate_p90, forecast_accuracy_p25, forecast_accuracy_p50, forecast_accuracy_p75, forecast_accuracy_p90, inventory_turnover_p25, inventory_turnover_p50, inventory_turnover_p75, inventory_turnover_p90, computed_at FROM benchmark.benchmark_snapshot');

DROP FUNCTION benchmark.publish_snapshots(date);
DROP FUNCTION benchmark.compute_client_metrics(date);
DROP FUNCTION benchmark.coarsen(numeric);
DROP TABLE "benchmark"."benchmark_client_metric";
DROP TABLE "benchmark"."benchmark_snapshot";
DROP TABLE "benchmark"."benchmark_participation";
DROP TYPE "benchmark"."size_band";

ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark REVOKE USAGE, SELECT ON SEQUENCES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark REVOKE EXECUTE ON FUNCTIONS FROM supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark REVOKE SELECT ON TABLES FROM supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
DROP SCHEMA "benchmark";
