-- raise_product_name_statistics: a 1000-entry histogram on catalog.product.name, so that the
-- planner estimates substring searches (name ILIKE '%term%') well enough to choose between the
-- trigram index (add_product_name_trgm_index) and a scan that stops after the first matches.
-- With the default 100 entries a phrase of several words is estimated at about 1% of the catalog
-- whatever it is, and a search that found 1,600 products by index took 79 ms by scan instead of
-- 19 ms (1,000,000 products, docs/design/inventory-ledger.md).
--
-- Prisma does not model statistics targets: nothing to declare in catalog.prisma.
-- Locks: SHARE UPDATE EXCLUSIVE on catalog.product (writes go on). Expected runtime: the ANALYZE
-- samples 300,000 rows, a few seconds whatever the size of the table. Rollback: down.sql.
-- Checks: validate.sql.

-- [CUSTOM_CHANGE_START] planner statistics
ALTER TABLE "catalog"."product" ALTER COLUMN "name" SET STATISTICS 1000;
ANALYZE "catalog"."product" ("name");
-- [CUSTOM_CHANGE_END]
