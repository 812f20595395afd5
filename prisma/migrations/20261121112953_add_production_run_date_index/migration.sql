-- add_production_run_date_index: seed 003's idx_production_runs_date_range ("Performance
-- Optimization"), production runs by date range for recall windows and FSMA exports, built
-- CONCURRENTLY so that writes to traceability.production_run go on meanwhile.
--
-- CREATE INDEX CONCURRENTLY cannot run in a transaction, so it is the only statement of this
-- migration: Prisma, and the runner, then send it on its own. If the build is interrupted, the
-- runner drops the invalid index it leaves and builds it again.
-- Locks: SHARE UPDATE EXCLUSIVE on traceability.production_run (writes continue). Expected runtime:
-- about a second per million runs. Rollback: down.sql. Checks: validate.sql.
CREATE INDEX CONCURRENTLY "production_run_actual_start_time_actual_end_time_idx" ON "traceability"."production_run"("actual_start_time", "actual_end_time");
