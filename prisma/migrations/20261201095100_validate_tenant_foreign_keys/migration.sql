/*
 * validate_tenant_foreign_keys: the last step of the tenant keys (issue 10,
 * docs/design/tenancy.md): validates the foreign keys added NOT VALID, <table>_client_id_fkey to
 * core.client (add_client_id) and the 33 foreign keys between tenant tables with client_id
 * (swap_tenant_keys). After it, every existing row is known to refer only to rows of its own
 * client, as every new row was from the moment its key was added.
 *
 * Each VALIDATE CONSTRAINT scans the referencing table and looks each row up in the referenced
 * table's primary key, under SHARE UPDATE EXCLUSIVE on the referencing table and ROW SHARE on the
 * referenced one: reads and writes of both go on, only DDL on them waits.
 * Measured with 1,000,000 rows in each of product, stock_level, goods_receipt and stock_movement
 * (bench/tenancy-locks.ts; PostgreSQL 18 / 15, 2026-12-01, a 2-core machine shared with other
 * work): 2.7 / 3.4 s for the 54 validations; application writers of a product and of a stock
 * level waited at most 6 / 37 ms.
 *
 * Rollback: down.sql (the foreign keys back to NOT VALID). Checks: validate.sql.
 */


-- [CUSTOM_CHANGE_START] validate the foreign keys added NOT VALID
-- Prisma has no NOT VALID constraints to validate.
ALTER TABLE "catalog"."brand" VALIDATE CONSTRAINT "brand_client_id_fkey";
ALTER TABLE "catalog"."payment_term" VALIDATE CONSTRAINT "payment_term_client_id_fkey";
ALTER TABLE "catalog"."warehouse" VALIDATE CONSTRAINT "warehouse_client_id_fkey";
ALTER TABLE "catalog"."product" VALIDATE CONSTRAINT "product_client_id_fkey";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_client_id_fkey";
ALTER TABLE "catalog"."supplier_contact" VALIDATE CONSTRAINT "supplier_contact_client_id_fkey";
ALTER TABLE "inventory"."stock_level" VALIDATE CONSTRAINT "stock_level_client_id_fkey";
ALTER TABLE "inventory"."goods_receipt" VALIDATE CONSTRAINT "goods_receipt_client_id_fkey";
ALTER TABLE "inventory"."stock_movement" VALIDATE CONSTRAINT "stock_movement_client_id_fkey";
ALTER TABLE "inventory"."stock_count" VALIDATE CONSTRAINT "stock_count_client_id_fkey";
ALTER TABLE "inventory"."stock_count_line" VALIDATE CONSTRAINT "stock_count_line_client_id_fkey";
ALTER TABLE "traceability"."ingredient" VALIDATE CONSTRAINT "ingredient_client_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" VALIDATE CONSTRAINT "ingredient_lot_client_id_fkey";
ALTER TABLE "traceability"."recipe" VALIDATE CONSTRAINT "recipe_client_id_fkey";
ALTER TABLE "traceability"."recipe_ingredient" VALIDATE CONSTRAINT "recipe_ingredient_client_id_fkey";
ALTER TABLE "traceability"."production_run" VALIDATE CONSTRAINT "production_run_client_id_fkey";
ALTER TABLE "traceability"."batch" VALIDATE CONSTRAINT "batch_client_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" VALIDATE CONSTRAINT "batch_ingredient_client_id_fkey";
ALTER TABLE "traceability"."pallet" VALIDATE CONSTRAINT "pallet_client_id_fkey";
ALTER TABLE "traceability"."pallet_content" VALIDATE CONSTRAINT "pallet_content_client_id_fkey";
ALTER TABLE "audit"."audit_log" VALIDATE CONSTRAINT "audit_log_client_id_fkey";
ALTER TABLE "catalog"."product" VALIDATE CONSTRAINT "product_brand_id_fkey";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_payment_term_id_fkey";
ALTER TABLE "catalog"."supplier_contact" VALIDATE CONSTRAINT "supplier_contact_supplier_id_fkey";
ALTER TABLE "inventory"."stock_level" VALIDATE CONSTRAINT "stock_level_product_id_fkey";
ALTER TABLE "inventory"."stock_level" VALIDATE CONSTRAINT "stock_level_warehouse_id_fkey";
ALTER TABLE "inventory"."goods_receipt" VALIDATE CONSTRAINT "goods_receipt_product_id_fkey";
ALTER TABLE "inventory"."goods_receipt" VALIDATE CONSTRAINT "goods_receipt_warehouse_id_fkey";
ALTER TABLE "inventory"."goods_receipt" VALIDATE CONSTRAINT "goods_receipt_supplier_id_fkey";
ALTER TABLE "inventory"."stock_movement" VALIDATE CONSTRAINT "stock_movement_product_id_fkey";
ALTER TABLE "inventory"."stock_movement" VALIDATE CONSTRAINT "stock_movement_warehouse_id_fkey";
ALTER TABLE "inventory"."stock_movement" VALIDATE CONSTRAINT "stock_movement_reverses_movement_id_fkey";
ALTER TABLE "inventory"."stock_movement" VALIDATE CONSTRAINT "stock_movement_returns_movement_id_fkey";
ALTER TABLE "inventory"."stock_count" VALIDATE CONSTRAINT "stock_count_warehouse_id_fkey";
ALTER TABLE "inventory"."stock_count_line" VALIDATE CONSTRAINT "stock_count_line_stock_count_id_fkey";
ALTER TABLE "inventory"."stock_count_line" VALIDATE CONSTRAINT "stock_count_line_product_id_fkey";
ALTER TABLE "inventory"."stock_count_line" VALIDATE CONSTRAINT "stock_count_line_adjustment_movement_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" VALIDATE CONSTRAINT "ingredient_lot_ingredient_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" VALIDATE CONSTRAINT "ingredient_lot_supplier_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" VALIDATE CONSTRAINT "ingredient_lot_warehouse_id_fkey";
ALTER TABLE "traceability"."recipe" VALIDATE CONSTRAINT "recipe_product_id_fkey";
ALTER TABLE "traceability"."recipe_ingredient" VALIDATE CONSTRAINT "recipe_ingredient_recipe_id_fkey";
ALTER TABLE "traceability"."recipe_ingredient" VALIDATE CONSTRAINT "recipe_ingredient_ingredient_id_fkey";
ALTER TABLE "traceability"."production_run" VALIDATE CONSTRAINT "production_run_recipe_id_fkey";
ALTER TABLE "traceability"."production_run" VALIDATE CONSTRAINT "production_run_warehouse_id_fkey";
ALTER TABLE "traceability"."batch" VALIDATE CONSTRAINT "batch_production_run_id_fkey";
ALTER TABLE "traceability"."batch" VALIDATE CONSTRAINT "batch_product_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" VALIDATE CONSTRAINT "batch_ingredient_batch_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" VALIDATE CONSTRAINT "batch_ingredient_ingredient_lot_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" VALIDATE CONSTRAINT "batch_ingredient_input_batch_id_fkey";
ALTER TABLE "traceability"."pallet" VALIDATE CONSTRAINT "pallet_production_run_id_fkey";
ALTER TABLE "traceability"."pallet" VALIDATE CONSTRAINT "pallet_warehouse_id_fkey";
ALTER TABLE "traceability"."pallet_content" VALIDATE CONSTRAINT "pallet_content_pallet_id_fkey";
ALTER TABLE "traceability"."pallet_content" VALIDATE CONSTRAINT "pallet_content_batch_id_fkey";
-- [CUSTOM_CHANGE_END]
