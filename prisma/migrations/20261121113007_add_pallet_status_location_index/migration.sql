-- add_pallet_status_location_index: seed 003's idx_pallets_status_location ("Performance
-- Optimization"), pallets by status and location (what is on hand where), built
-- CONCURRENTLY so that writes to traceability.pallet go on meanwhile.
--
-- CREATE INDEX CONCURRENTLY cannot run in a transaction, so it is the only statement of this
-- migration: Prisma, and the runner, then send it on its own. If the build is interrupted, the
-- runner drops the invalid index it leaves and builds it again.
-- Locks: SHARE UPDATE EXCLUSIVE on traceability.pallet (writes continue). Expected runtime:
-- about a second per million pallets. Rollback: down.sql. Checks: validate.sql.
CREATE INDEX CONCURRENTLY "pallet_status_location_idx" ON "traceability"."pallet"("status", "location");
