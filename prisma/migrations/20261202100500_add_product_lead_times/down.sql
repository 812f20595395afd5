-- Rollback of add_product_lead_times (the guide's rollback template, data kept): keep the products'
-- lead times and projections (with the product's client and id, enum columns as text) in a backup
-- table, then drop the batch function, the trigger and its function, the constraints, the columns
-- and the enums.
SELECT backup.preserve('catalog_product_lead_times_20261202100500',
  'SELECT client_id, id, supplier_lead_days, shipping_lead_days, processing_lead_days, safety_buffer_days, total_lead_days,
          lead_time_source::text AS lead_time_source, projected_stockout_date, last_order_by_date, timing_last_calculated,
          projection_status::text AS projection_status, average_daily_demand, demand_window_days
     FROM catalog.product
    WHERE num_nonnulls(supplier_lead_days, shipping_lead_days, processing_lead_days, safety_buffer_days, lead_time_source, timing_last_calculated) > 0');

DROP FUNCTION catalog.backfill_product_timing(bigint, integer);
DROP TRIGGER _100_calculate_total_lead_days ON "catalog"."product";
DROP FUNCTION catalog.tg_product__calculate_total_lead_days();
ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_projection_status_check";
ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_total_lead_days_check";
ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_lead_days_not_negative_check";
ALTER TABLE "catalog"."product" DROP COLUMN "average_daily_demand",
  DROP COLUMN "demand_window_days",
  DROP COLUMN "last_order_by_date",
  DROP COLUMN "lead_time_source",
  DROP COLUMN "processing_lead_days",
  DROP COLUMN "projected_stockout_date",
  DROP COLUMN "projection_status",
  DROP COLUMN "safety_buffer_days",
  DROP COLUMN "shipping_lead_days",
  DROP COLUMN "supplier_lead_days",
  DROP COLUMN "timing_last_calculated",
  DROP COLUMN "total_lead_days";
DROP TYPE "catalog"."projection_status";
DROP TYPE "catalog"."lead_time_source";
