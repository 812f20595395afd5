-- add_product_brand_index: the index behind product.brand_id (every foreign key is indexed), built
-- CONCURRENTLY so that writes to catalog.product go on meanwhile.
--
-- CREATE INDEX CONCURRENTLY cannot run in a transaction, so it is the only statement of this
-- migration: Prisma, and the runner, then send it on its own. If the build is interrupted, the
-- runner drops the invalid index it leaves and builds it again.
-- Locks: SHARE UPDATE EXCLUSIVE on catalog.product (writes continue). Expected runtime: about a
-- second per million products. Rollback: down.sql. Checks: validate.sql.
CREATE INDEX CONCURRENTLY "product_brand_id_idx" ON "catalog"."product"("brand_id");
