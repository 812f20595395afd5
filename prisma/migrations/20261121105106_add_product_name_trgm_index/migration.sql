-- add_product_name_trgm_index: case-insensitive product search (seed 000: "Product search ~40%
-- faster (case-insensitive indexes)"), as a trigram GIN index declared in catalog.prisma. It
-- serves name ILIKE '%term%' for any substring of three characters or more.
--
-- Built CONCURRENTLY so that writes to catalog.product go on, hence the only statement of this
-- migration (CREATE INDEX CONCURRENTLY cannot run in a transaction). If the build is interrupted,
-- the runner drops the invalid index it leaves and builds it again.
-- Locks: SHARE UPDATE EXCLUSIVE on catalog.product. Expected runtime: about 30 s per million
-- products. Rollback: down.sql. Checks: validate.sql.
CREATE INDEX CONCURRENTLY "product_name_trgm_idx" ON "catalog"."product" USING GIN ("name" gin_trgm_ops);
