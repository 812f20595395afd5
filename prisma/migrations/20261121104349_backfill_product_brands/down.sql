-- Rollback of backfill_product_brands: keep the links, then unlink the products the backfill
-- linked (those whose brand is their legacy name), and drop the batch function. Brands stay:
-- add_brand's rollback keeps and drops them. The foreign key is NOT VALID again already
-- (finalize_product_brands' rollback), as add_brand left it.
SELECT backup.preserve('catalog_product_brand_20261121104349', 'SELECT id AS product_id, brand_id FROM catalog.product WHERE brand_id IS NOT NULL');

UPDATE catalog.product p
   SET brand_id = NULL
  FROM catalog.brand b
 WHERE p.brand_id = b.id AND b.name = btrim(p.brand)::citext;

DROP FUNCTION catalog.backfill_product_brands(bigint, integer);
