/*
 * add_product_stock_settings: what a product needs for stock control and traceability: whether
 * its stock is tracked by lot, its shelf life, and its reorder point, reorder quantity and safety
 * stock (read by the low-stock alerts of add_inventory_views).
 *
 * Locks: ACCESS EXCLUSIVE on catalog.product while the columns are added (constant defaults: no
 * rewrite) and the checks scan it. Expected runtime: about a second per million products.
 * Rollback: down.sql (keeps the settings in a backup table). Checks: validate.sql.
 */

-- AlterTable
ALTER TABLE "catalog"."product" ADD COLUMN     "is_lot_tracked" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reorder_point" DECIMAL(18,4),
ADD COLUMN     "reorder_qty" DECIMAL(18,4),
ADD COLUMN     "safety_stock" DECIMAL(18,4),
ADD COLUMN     "shelf_life_days" INTEGER;

-- [CUSTOM_CHANGE_START] checks
-- Prisma has no CHECK constraints. NULL means "not set" and passes.
-- squawk-ignore constraint-missing-not-valid -- safe here: the column is new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from that ADD COLUMN until the commit, so NOT VALID would not shorten the lock
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_shelf_life_days_positive_check" CHECK ("shelf_life_days" > 0);
-- squawk-ignore constraint-missing-not-valid -- safe here: the column is new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from that ADD COLUMN until the commit, so NOT VALID would not shorten the lock
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_reorder_point_not_negative_check" CHECK ("reorder_point" >= 0);
-- squawk-ignore constraint-missing-not-valid -- safe here: the column is new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from that ADD COLUMN until the commit, so NOT VALID would not shorten the lock
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_reorder_qty_positive_check" CHECK ("reorder_qty" > 0);
-- squawk-ignore constraint-missing-not-valid -- safe here: the column is new in this migration (all NULL, no row can fail) and product is ACCESS EXCLUSIVE from that ADD COLUMN until the commit, so NOT VALID would not shorten the lock
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_safety_stock_not_negative_check" CHECK ("safety_stock" >= 0);
-- [CUSTOM_CHANGE_END]
