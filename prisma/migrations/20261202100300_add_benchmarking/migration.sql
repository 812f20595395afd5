/*
 * add_benchmarking (seed 004, 20251215000003): privacy-preserving comparison across clients, the
 * privacy enforced in the database (docs/design/fulfillment.md, "Benchmarking": threat model).
 *
 * - Schema benchmark (its first migration: created here, USAGE and default privileges as for the
 *   other domain schemas).
 * - benchmark.benchmark_participation: a client's opt-in (a client table: the client sees and changes
 *   only its own row), an anonymous id, a cohort (industry × size band).
 * - benchmark.benchmark_client_metric: a participant's raw metrics per month, computed from its own
 *   data by benchmark.compute_client_metrics(period). A client table (row-level security) that the
 *   application and readonly roles have no privilege on at all: raw per-client metrics are not
 *   readable by them, their own included.
 * - benchmark.benchmark_snapshot: published cohort aggregates (shared: no client's rows), written only
 *   by benchmark.publish_snapshots(period), an operator's SECURITY DEFINER function (not executable by
 *   the application). Protections: participant_count >= 5 (a CHECK, not a convention); P75 and P90
 *   only from 10 participants (a CHECK), P25/P50 (and P75/P90) coarsened to 2 significant digits;
 *   one level of cohort only (industry × size band, both NOT NULL: no overlapping cohorts to combine);
 *   a cohort whose membership changed by 1 to 4 participants since its last published snapshot is
 *   suppressed for the period (differencing two periods cannot isolate one participant).
 *
 * The guide's BenchmarkParticipation → Client CASCADE becomes RESTRICT (the tenancy rule). The
 * guide's benchmark_participation_anonymous_id_key is benchmark_participation_client_id_anonymous_id_key:
 * client_id leads every unique key of a client table (the id is a random UUID, unique in practice).
 * Tables are prefixed benchmark_ as the guide names them (benchmark_snapshots is benchmark_snapshot).
 *
 * Locks: none on existing tables (new schema and tables). Expected runtime: instant.
 * Rollback: down.sql (participation, metrics and snapshots kept in backup.*). Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "benchmark";
-- CreateEnum
CREATE TYPE "benchmark"."size_band" AS ENUM ('SMALL', 'MEDIUM', 'LARGE');
-- CreateTable
CREATE TABLE "benchmark"."benchmark_participation" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "anonymous_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "industry" TEXT NOT NULL,
    "size_band" "benchmark"."size_band" NOT NULL,
    "is_participating" BOOLEAN NOT NULL DEFAULT true,
    "joined_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "left_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "benchmark_participation_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "benchmark"."benchmark_client_metric" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "period" DATE NOT NULL,
    "product_count" DECIMAL(18,4),
    "order_frequency" DECIMAL(18,4),
    "stockout_rate" DECIMAL(9,6),
    "forecast_accuracy" DECIMAL(9,6),
    "inventory_turnover" DECIMAL(18,4),
    "computed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshot_id" BIGINT,
    CONSTRAINT "benchmark_client_metric_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "benchmark"."benchmark_snapshot" (
    "id" BIGSERIAL NOT NULL,
    "industry" TEXT NOT NULL,
    "size_band" "benchmark"."size_band" NOT NULL,
    "period" DATE NOT NULL,
    "participant_count" INTEGER NOT NULL,
    "product_count_p25" DECIMAL(18,4),
    "product_count_p50" DECIMAL(18,4),
    "product_count_p75" DECIMAL(18,4),
    "product_count_p90" DECIMAL(18,4),
    "order_frequency_p25" DECIMAL(18,4),
    "order_frequency_p50" DECIMAL(18,4),
    "order_frequency_p75" DECIMAL(18,4),
    "order_frequency_p90" DECIMAL(18,4),
    "stockout_rate_p25" DECIMAL(9,6),
    "stockout_rate_p50" DECIMAL(9,6),
    "stockout_rate_p75" DECIMAL(9,6),
    "stockout_rate_p90" DECIMAL(9,6),
    "forecast_accuracy_p25" DECIMAL(9,6),
    "forecast_accuracy_p50" DECIMAL(9,6),
    "forecast_accuracy_p75" DECIMAL(9,6),
    "forecast_accuracy_p90" DECIMAL(9,6),
    "inventory_turnover_p25" DECIMAL(18,4),
    "inventory_turnover_p50" DECIMAL(18,4),
    "inventory_turnover_p75" DECIMAL(18,4),
    "inventory_turnover_p90" DECIMAL(18,4),
    "computed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "benchmark_snapshot_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "benchmark_participation_cohort_is_participating_idx" ON "benchmark"."benchmark_participation"("industry", "size_band", "is_participating");
-- CreateIndex
CREATE UNIQUE INDEX "benchmark_participation_client_id_key" ON "benchmark"."benchmark_participation"("client_id");
-- CreateIndex
CREATE UNIQUE INDEX "benchmark_participation_client_id_anonymous_id_key" ON "benchmark"."benchmark_participation"("client_id", "anonymous_id");
-- CreateIndex
CREATE INDEX "benchmark_client_metric_snapshot_id_idx" ON "benchmark"."benchmark_client_metric"("snapshot_id");
-- CreateIndex
CREATE UNIQUE INDEX "benchmark_client_metric_client_id_period_key" ON "benchmark"."benchmark_client_metric"("client_id", "period");
-- CreateIndex
CREATE INDEX "benchmark_snapshot_period_idx" ON "benchmark"."benchmark_snapshot"("period");
-- CreateIndex
CREATE UNIQUE INDEX "benchmark_snapshot_cohort_period_key" ON "benchmark"."benchmark_snapshot"("industry", "size_band", "period");
-- AddForeignKey
ALTER TABLE "benchmark"."benchmark_participation" ADD CONSTRAINT "benchmark_participation_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "benchmark"."benchmark_client_metric" ADD CONSTRAINT "benchmark_client_metric_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "benchmark"."benchmark_snapshot"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "benchmark"."benchmark_client_metric" ADD CONSTRAINT "benchmark_client_metric_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- [CUSTOM_CHANGE_START] rules Prisma cannot state
-- Prisma has no CHECK constraints or triggers.
ALTER TABLE "benchmark"."benchmark_snapshot" ADD CONSTRAINT "benchmark_snapshot_min_participants_check" CHECK (participant_count >= 5);
ALTER TABLE "benchmark"."benchmark_snapshot" ADD CONSTRAINT "benchmark_snapshot_outer_percentiles_check"
  CHECK (participant_count >= 10 OR num_nonnulls(product_count_p75, product_count_p90, order_frequency_p75, order_frequency_p90,
                                                 stockout_rate_p75, stockout_rate_p90, forecast_accuracy_p75, forecast_accuracy_p90,
                                                 inventory_turnover_p75, inventory_turnover_p90) = 0);
ALTER TABLE "benchmark"."benchmark_snapshot" ADD CONSTRAINT "benchmark_snapshot_period_first_day_check" CHECK (extract(day FROM period) = 1);
ALTER TABLE "benchmark"."benchmark_client_metric" ADD CONSTRAINT "benchmark_client_metric_period_first_day_check" CHECK (extract(day FROM period) = 1);
ALTER TABLE "benchmark"."benchmark_participation" ADD CONSTRAINT "benchmark_participation_industry_check" CHECK (industry ~ '^[A-Z][A-Z0-9_]*$');
ALTER TABLE "benchmark"."benchmark_participation" ADD CONSTRAINT "benchmark_participation_left_check"
  CHECK ((left_at IS NULL) = is_participating AND (left_at IS NULL OR left_at >= joined_at));

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "benchmark"."benchmark_participation" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "benchmark"."benchmark_participation" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] tenancy: row-level security, privileges
-- Prisma has no row-level security, grants or default privileges. The schema's grants as
-- create_roles gave the other domains, then what the application may not do here.
ALTER TABLE "benchmark"."benchmark_participation" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "benchmark"."benchmark_participation" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "benchmark"."benchmark_participation" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "benchmark"."benchmark_participation" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "benchmark"."benchmark_client_metric" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "benchmark"."benchmark_client_metric" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "benchmark"."benchmark_client_metric" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "benchmark"."benchmark_client_metric" IS 'Rows of the client app.client_id names (for roles granted the table at all: not the application or readonly roles).';

GRANT USAGE ON SCHEMA benchmark TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA benchmark TO supply_ledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA benchmark TO supply_ledger_app;
GRANT SELECT ON ALL TABLES IN SCHEMA benchmark TO supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA benchmark TO supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark GRANT USAGE, SELECT ON SEQUENCES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark GRANT EXECUTE ON FUNCTIONS TO supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark GRANT SELECT ON TABLES TO supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA benchmark GRANT SELECT ON SEQUENCES TO supply_ledger_backup;
-- Raw metrics: nothing for the application or readonly roles (the backup role keeps SELECT).
REVOKE ALL ON "benchmark"."benchmark_client_metric" FROM supply_ledger_app, supply_ledger_readonly;
REVOKE ALL ON SEQUENCE "benchmark"."benchmark_client_metric_id_seq" FROM supply_ledger_app;
-- Snapshots: read only; written by the operator's publish function.
REVOKE INSERT, UPDATE, DELETE ON "benchmark"."benchmark_snapshot" FROM supply_ledger_app;
REVOKE ALL ON SEQUENCE "benchmark"."benchmark_snapshot_id_seq" FROM supply_ledger_app;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] metrics and publishing
-- Prisma has no functions. Both are the operator's (owner, BYPASSRLS): they read every participant.
CREATE FUNCTION benchmark.coarsen(value numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT CASE WHEN value IS NULL OR value = 0 THEN value
              ELSE round(value, 1 - floor(log(abs(value)))::integer) END
$$;

CREATE FUNCTION benchmark.compute_client_metrics(for_month date)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  month_start timestamptz := (date_trunc('month', for_month)::date)::timestamp AT TIME ZONE 'UTC';
  month_end timestamptz := ((date_trunc('month', for_month) + interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  previous_start timestamptz := ((date_trunc('month', for_month) - interval '1 month')::date)::timestamp AT TIME ZONE 'UTC';
  written integer;
BEGIN
  WITH member AS (
    SELECT p.client_id FROM benchmark.benchmark_participation p WHERE p.is_participating AND p.joined_at < month_end
  ),
  products AS (
    SELECT pr.client_id, count(*) AS n FROM catalog.product pr JOIN member m ON m.client_id = pr.client_id WHERE pr.is_active GROUP BY 1
  ),
  orders AS (
    SELECT o.client_id, count(*) AS n FROM fulfillment.order_request o JOIN member m ON m.client_id = o.client_id
     WHERE o.requested_at >= month_start AND o.requested_at < month_end GROUP BY 1
  ),
  level_end AS (
    SELECT DISTINCT ON (sm.client_id, sm.product_id, sm.warehouse_id) sm.client_id, sm.qty_after, sm.value_after
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.occurred_at < month_end
     ORDER BY sm.client_id, sm.product_id, sm.warehouse_id, sm.level_sequence DESC
  ),
  level_start AS (
    SELECT DISTINCT ON (sm.client_id, sm.product_id, sm.warehouse_id) sm.client_id, sm.value_after
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.occurred_at < month_start
     ORDER BY sm.client_id, sm.product_id, sm.warehouse_id, sm.level_sequence DESC
  ),
  stock AS (
    SELECT e.client_id, count(*) FILTER (WHERE e.qty_after <= 0)::numeric / count(*) AS stockout_rate, sum(coalesce(e.value_after, 0)) AS closing
      FROM level_end e GROUP BY 1
  ),
  opening AS (SELECT s.client_id, sum(coalesce(s.value_after, 0)) AS value FROM level_start s GROUP BY 1),
  issues AS (
    SELECT sm.client_id, sm.product_id,
           -sum(sm.quantity) FILTER (WHERE sm.occurred_at >= month_start) AS actual,
           -sum(sm.quantity) FILTER (WHERE sm.occurred_at < month_start) AS forecast,
           -sum(sm.value_delta) FILTER (WHERE sm.occurred_at >= month_start) AS cogs
      FROM inventory.stock_movement sm JOIN member m ON m.client_id = sm.client_id
     WHERE sm.movement_type = 'ISSUE' AND sm.occurred_at >= previous_start AND sm.occurred_at < month_end
     GROUP BY 1, 2
  ),
  demand AS (
    SELECT i.client_id, sum(coalesce(i.actual, 0)) AS actual, sum(abs(coalesce(i.actual, 0) - coalesce(i.forecast, 0))) AS error,
           sum(coalesce(i.cogs, 0)) AS cogs
      FROM issues i GROUP BY 1
  )
  INSERT INTO benchmark.benchmark_client_metric AS t (client_id, period, product_count, order_frequency, stockout_rate, forecast_accuracy, inventory_turnover, computed_at)
  SELECT m.client_id, date_trunc('month', for_month)::date, coalesce(pr.n, 0), coalesce(o.n, 0), round(s.stockout_rate, 6),
         CASE WHEN d.actual > 0 THEN round(greatest(0, 1 - d.error / d.actual), 6) END,
         CASE WHEN (coalesce(op.value, 0) + coalesce(s.closing, 0)) > 0 THEN round(coalesce(d.cogs, 0) * 12 / ((coalesce(op.value, 0) + coalesce(s.closing, 0)) / 2), 4) END,
         clock_timestamp()
    FROM member m
    LEFT JOIN products pr ON pr.client_id = m.client_id
    LEFT JOIN orders o ON o.client_id = m.client_id
    LEFT JOIN stock s ON s.client_id = m.client_id
    LEFT JOIN opening op ON op.client_id = m.client_id
    LEFT JOIN demand d ON d.client_id = m.client_id
  ON CONFLICT (client_id, period) DO UPDATE SET
    product_count = EXCLUDED.product_count, order_frequency = EXCLUDED.order_frequency, stockout_rate = EXCLUDED.stockout_rate,
    forecast_accuracy = EXCLUDED.forecast_accuracy, inventory_turnover = EXCLUDED.inventory_turnover, computed_at = EXCLUDED.computed_at
  WHERE t.snapshot_id IS NULL;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

CREATE FUNCTION benchmark.publish_snapshots(for_month date)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  period_start date := date_trunc('month', for_month)::date;
  cohort record;
  previous bigint;
  changed integer;
  snapshot bigint;
  published integer := 0;
BEGIN
  FOR cohort IN
    SELECT p.industry, p.size_band, array_agg(p.client_id ORDER BY p.client_id) AS members, count(*)::integer AS n
      FROM benchmark.benchmark_participation p
      JOIN benchmark.benchmark_client_metric cm ON cm.client_id = p.client_id AND cm.period = period_start
     WHERE p.is_participating
       AND NOT EXISTS (SELECT 1 FROM benchmark.benchmark_snapshot s WHERE s.industry = p.industry AND s.size_band = p.size_band AND s.period = period_start)
     GROUP BY p.industry, p.size_band
  LOOP
    CONTINUE WHEN cohort.n < 5;
    -- Differencing: the last published snapshot of the cohort before this period.
    SELECT s.id INTO previous FROM benchmark.benchmark_snapshot s
     WHERE s.industry = cohort.industry AND s.size_band = cohort.size_band AND s.period < period_start
     ORDER BY s.period DESC LIMIT 1;
    IF previous IS NOT NULL THEN
      SELECT count(*) INTO changed FROM (
        (SELECT unnest(cohort.members) EXCEPT SELECT cm.client_id FROM benchmark.benchmark_client_metric cm WHERE cm.snapshot_id = previous)
        UNION ALL
        (SELECT cm.client_id FROM benchmark.benchmark_client_metric cm WHERE cm.snapshot_id = previous EXCEPT SELECT unnest(cohort.members))
      ) AS difference;
      CONTINUE WHEN changed BETWEEN 1 AND 4;
    END IF;
    INSERT INTO benchmark.benchmark_snapshot (industry, size_band, period, participant_count,
        product_count_p25, product_count_p50, product_count_p75, product_count_p90,
        order_frequency_p25, order_frequency_p50, order_frequency_p75, order_frequency_p90,
        stockout_rate_p25, stockout_rate_p50, stockout_rate_p75, stockout_rate_p90,
        forecast_accuracy_p25, forecast_accuracy_p50, forecast_accuracy_p75, forecast_accuracy_p90,
        inventory_turnover_p25, inventory_turnover_p50, inventory_turnover_p75, inventory_turnover_p90)
    SELECT cohort.industry, cohort.size_band, period_start, cohort.n,
           benchmark.coarsen(q.pc[1]), benchmark.coarsen(q.pc[2]), CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.pc[3]) END, CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.pc[4]) END,
           benchmark.coarsen(q.of[1]), benchmark.coarsen(q.of[2]), CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.of[3]) END, CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.of[4]) END,
           benchmark.coarsen(q.sr[1]), benchmark.coarsen(q.sr[2]), CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.sr[3]) END, CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.sr[4]) END,
           benchmark.coarsen(q.fa[1]), benchmark.coarsen(q.fa[2]), CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.fa[3]) END, CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.fa[4]) END,
           benchmark.coarsen(q.it[1]), benchmark.coarsen(q.it[2]), CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.it[3]) END, CASE WHEN cohort.n >= 10 THEN benchmark.coarsen(q.it[4]) END
      FROM (SELECT (percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cm.product_count))::numeric[] AS pc,
                   (percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cm.order_frequency))::numeric[] AS of,
                   (percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cm.stockout_rate))::numeric[] AS sr,
                   (percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cm.forecast_accuracy))::numeric[] AS fa,
                   (percentile_cont(ARRAY[0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY cm.inventory_turnover))::numeric[] AS it
              FROM benchmark.benchmark_client_metric cm
             WHERE cm.period = period_start AND cm.client_id = ANY (cohort.members)) AS q
    RETURNING id INTO snapshot;
    UPDATE benchmark.benchmark_client_metric cm SET snapshot_id = snapshot WHERE cm.period = period_start AND cm.client_id = ANY (cohort.members);
    published := published + 1;
  END LOOP;
  RETURN published;
END
$$;
REVOKE EXECUTE ON FUNCTION benchmark.compute_client_metrics(date), benchmark.publish_snapshots(date) FROM PUBLIC, supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] comments
-- Prisma has no comments.
COMMENT ON SCHEMA "benchmark" IS 'Cross-client benchmarking (seed 004): opt-in participation, raw metrics no application can read, published cohort aggregates that pass the privacy rules.';
COMMENT ON TABLE "benchmark"."benchmark_participation" IS 'A client''s opt-in to benchmarking: anonymous id, cohort (industry x size band), joined and left.';
COMMENT ON TABLE "benchmark"."benchmark_client_metric" IS 'A participant''s raw monthly metrics, from its own data (benchmark.compute_client_metrics); no privilege for the application or readonly roles; snapshot_id: the snapshot they went into.';
COMMENT ON TABLE "benchmark"."benchmark_snapshot" IS 'Published cohort aggregates per month, shared (no client''s rows): at least 5 participants, P75/P90 only from 10, values to 2 significant digits, suppressed when membership changed by 1 to 4 since the last one.';
COMMENT ON FUNCTION benchmark.coarsen(numeric) IS 'Rounds to 2 significant digits (what a published percentile shows).';
COMMENT ON FUNCTION benchmark.compute_client_metrics(date) IS 'Operator only. Computes every participant''s metrics for the month from its own data (products, orders, ledger); replaces a month''s rows not yet published. Returns the rows written.';
COMMENT ON FUNCTION benchmark.publish_snapshots(date) IS 'Operator only. Publishes a snapshot per cohort for the month from the computed metrics when it has at least 5 participants and its membership did not change by 1 to 4 since its last snapshot; P75/P90 from 10 participants; coarsened. Returns the snapshots published.';
-- [CUSTOM_CHANGE_END]
