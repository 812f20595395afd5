/*
 * add_brand: brands as their own table (seed 000, change 2 "Brand Table"), linked from products.
 *
 * Expand only: products keep their legacy free-text brand column, and the link starts empty. Then
 * add_product_brand_index builds product.brand_id's index without blocking writes,
 * backfill_product_brands installs the batched backfill that fills the links from the legacy
 * names (`npm run backfill -- product-brands`, while the application runs), and
 * finalize_product_brands finishes it and validates the foreign key added here NOT VALID.
 *
 * Also the seed's "brand timestamp" trigger: updated_at is kept by the database on every mutable
 * catalog table (audit.tg__set_updated_at() of create_audit_infrastructure), so raw SQL writers
 * keep it right as well as Prisma.
 *
 * Locks: ACCESS EXCLUSIVE on catalog.product for a moment (a nullable column without default and
 * a NOT VALID foreign key, no table scan), SHARE ROW EXCLUSIVE on supplier and warehouse to add
 * their triggers.
 * Expected runtime: instant. Rollback: down.sql (keeps brands and links in backup tables).
 * Checks: validate.sql.
 */

-- AlterTable
ALTER TABLE "catalog"."product" ADD COLUMN     "brand_id" BIGINT;
-- CreateTable
CREATE TABLE "catalog"."brand" (
    "id" BIGSERIAL NOT NULL,
    "name" CITEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "brand_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE UNIQUE INDEX "brand_name_key" ON "catalog"."brand"("name");
-- AddForeignKey
-- [CUSTOM_CHANGE_START] NOT VALID foreign key
-- NOT VALID: checking the existing rows would scan catalog.product while holding the lock. Every
-- row has brand_id NULL now, and finalize_product_brands validates the constraint once the links
-- are filled. New rows are checked from now on.
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_brand_id_fkey" FOREIGN KEY ("brand_id") REFERENCES "catalog"."brand"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] updated_at triggers
-- Prisma's @updatedAt works only for writes made through Prisma.
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."brand"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."product"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."supplier"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."warehouse"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();

COMMENT ON TABLE "catalog"."brand" IS 'Brands, unique by name whatever the case. Products refer to them through brand_id.';
COMMENT ON COLUMN "catalog"."product"."brand" IS 'Legacy free-text brand name: kept until the brand backfill is verified, then dropped.';
-- [CUSTOM_CHANGE_END]
