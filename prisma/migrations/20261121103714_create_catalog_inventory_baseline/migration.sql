/*
 * create_catalog_inventory_baseline: the catalog and stock tables as the team had them before
 * MantisNXT's "Migration 003: critical schema fixes" (seed 000): products with a free-text brand,
 * suppliers with a phone and an email but no contacts, warehouses, stock on hand without any cost,
 * and the goods receipts log that recorded what stock cost when it arrived.
 *
 * The enhancement migrations that follow (add_brand, add_stock_ledger, add_supplier_contacts, ...)
 * each preserve this data and derive the new structure from it.
 *
 * The first migration of the catalog and inventory domains: it creates their schemas.
 *
 * Expected runtime: instant (new schemas and tables). Rollback: down.sql. Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "catalog";
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "inventory";
-- CreateTable
CREATE TABLE "catalog"."product" (
    "id" BIGSERIAL NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "brand" TEXT,
    "unit_of_measure" TEXT NOT NULL DEFAULT 'EA',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "catalog"."supplier" (
    "id" BIGSERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "email" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "supplier_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "catalog"."warehouse" (
    "id" BIGSERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "warehouse_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "inventory"."stock_level" (
    "id" BIGSERIAL NOT NULL,
    "product_id" BIGINT NOT NULL,
    "warehouse_id" BIGINT NOT NULL,
    "qty_on_hand" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "qty_reserved" DECIMAL(18,4) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_level_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "inventory"."goods_receipt" (
    "id" BIGSERIAL NOT NULL,
    "product_id" BIGINT NOT NULL,
    "warehouse_id" BIGINT NOT NULL,
    "supplier_id" BIGINT,
    "quantity" DECIMAL(18,4) NOT NULL,
    "unit_cost" DECIMAL(19,6) NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reference" TEXT,
    CONSTRAINT "goods_receipt_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE UNIQUE INDEX "product_sku_key" ON "catalog"."product"("sku");
-- CreateIndex
CREATE UNIQUE INDEX "supplier_code_key" ON "catalog"."supplier"("code");
-- CreateIndex
CREATE UNIQUE INDEX "warehouse_code_key" ON "catalog"."warehouse"("code");
-- CreateIndex
CREATE INDEX "stock_level_warehouse_id_idx" ON "inventory"."stock_level"("warehouse_id");
-- CreateIndex
CREATE UNIQUE INDEX "stock_level_product_id_warehouse_id_key" ON "inventory"."stock_level"("product_id", "warehouse_id");
-- CreateIndex
CREATE INDEX "goods_receipt_product_id_warehouse_id_received_at_idx" ON "inventory"."goods_receipt"("product_id", "warehouse_id", "received_at");
-- CreateIndex
CREATE INDEX "goods_receipt_warehouse_id_idx" ON "inventory"."goods_receipt"("warehouse_id");
-- CreateIndex
CREATE INDEX "goods_receipt_supplier_id_idx" ON "inventory"."goods_receipt"("supplier_id");
-- AddForeignKey
ALTER TABLE "inventory"."stock_level" ADD CONSTRAINT "stock_level_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "catalog"."product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."stock_level" ADD CONSTRAINT "stock_level_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "catalog"."warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "catalog"."product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "catalog"."warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "catalog"."supplier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- [CUSTOM_CHANGE_START] receipt checks and comments
-- Prisma has no CHECK constraints and no comments. A receipt of nothing, or at a negative cost, is a typing error.
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_quantity_positive_check" CHECK ("quantity" > 0);
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_unit_cost_not_negative_check" CHECK ("unit_cost" >= 0);

COMMENT ON SCHEMA "catalog" IS 'Master data: brands, products, suppliers and their contacts, payment terms, warehouses.';
COMMENT ON SCHEMA "inventory" IS 'Stock levels, the append-only stock movement ledger (weighted-average cost), stock counts, valuation views.';
COMMENT ON TABLE "catalog"."product" IS 'Products, identified by SKU. brand is the legacy free-text brand name.';
COMMENT ON TABLE "catalog"."supplier" IS 'Suppliers, identified by code.';
COMMENT ON TABLE "catalog"."warehouse" IS 'Warehouses (stock locations), identified by code.';
COMMENT ON TABLE "inventory"."stock_level" IS 'Stock on hand and reserved per product and warehouse (the seed''s stock_on_hand).';
COMMENT ON TABLE "inventory"."goods_receipt" IS 'Goods received, with the unit cost paid: the source of the cost backfill.';
-- [CUSTOM_CHANGE_END]
