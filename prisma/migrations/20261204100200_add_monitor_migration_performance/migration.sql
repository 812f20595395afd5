/*
 * add_monitor_migration_performance: seed 002's monitor_migration_performance(), for watching a
 * deploy from another session (issue 13, docs/operations.md). The seed's version counts
 * pg_stat_activity.waiting, a column PostgreSQL removed in 9.6; here a session waits for a lock
 * when wait_event_type = 'Lock', and pg_blocking_pids() says who holds it up.
 * ops.monitor_migration_performance() returns the seed's row (time, active connections, sessions
 * waiting for a lock, average age of the active queries, cache hit ratio, database size) plus the
 * sessions blocked by another one; ops.migration_lock_waits() one row per session waiting for a
 * lock in this database: what it runs, for how long, who blocks it and what they run.
 *
 * Both read pg_stat_activity as the caller: an operator (a superuser, or a member of
 * pg_read_all_stats) sees every session's query; EXECUTE is the owner's only (operators are its
 * members), not the application roles'.
 *
 * Locks: none (two new functions). Expected runtime: instant. Rollback: down.sql. Checks:
 * validate.sql.
 */

-- [CUSTOM_CHANGE_START] monitoring functions
-- Prisma does not manage the ops schema, and has no functions.
CREATE FUNCTION ops.monitor_migration_performance()
RETURNS TABLE (
  observed_at timestamptz,
  active_connections integer,
  waiting_queries integer,
  blocked_queries integer,
  longest_lock_wait interval,
  avg_query_time interval,
  cache_hit_ratio numeric,
  disk_usage_gb numeric
)
LANGUAGE sql
VOLATILE
AS $$
  WITH activity AS (
    SELECT a.* FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
  )
  SELECT clock_timestamp(),
         (SELECT count(*) FROM activity WHERE state = 'active')::integer,
         (SELECT count(*) FROM activity WHERE wait_event_type = 'Lock')::integer,
         (SELECT count(*) FROM activity WHERE cardinality(pg_blocking_pids(pid)) > 0)::integer,
         (SELECT max(clock_timestamp() - state_change) FROM activity WHERE wait_event_type = 'Lock'),
         (SELECT avg(clock_timestamp() - query_start) FROM activity WHERE state = 'active'),
         (SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit) + sum(blks_read), 0), 2) FROM pg_stat_database WHERE datname = current_database()),
         round(pg_database_size(current_database()) / 1024.0 / 1024.0 / 1024.0, 2)
$$;
COMMENT ON FUNCTION ops.monitor_migration_performance() IS
  'Seed 002''s deploy monitor for modern PostgreSQL: active sessions, sessions waiting for a lock (wait_event_type Lock), sessions blocked by another (pg_blocking_pids), the longest lock wait, average active query age, cache hit ratio, database size. Call it repeatedly from another session while a deploy runs.';

CREATE FUNCTION ops.migration_lock_waits()
RETURNS TABLE (
  pid integer,
  application_name text,
  waiting_for text,
  waited interval,
  query text,
  blocked_by integer[],
  blocker_queries text[]
)
LANGUAGE sql
VOLATILE
AS $$
  SELECT a.pid, a.application_name, a.wait_event, clock_timestamp() - a.state_change, a.query, pg_blocking_pids(a.pid),
         ARRAY(SELECT format('%s (%s, %s): %s', b.pid, coalesce(nullif(b.application_name, ''), b.usename::text), b.state, left(b.query, 200))
                 FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid)) ORDER BY b.pid)
    FROM pg_stat_activity a
   WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'
   ORDER BY a.state_change
$$;
COMMENT ON FUNCTION ops.migration_lock_waits() IS
  'One row per session of this database waiting for a lock: its query, how long it has waited, the pids blocking it (pg_blocking_pids) and what they run. For watching a deploy.';
-- [CUSTOM_CHANGE_END]
