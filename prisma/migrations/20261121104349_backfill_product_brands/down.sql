-- Rollback of backfill_product_brands: keep the links, then unlink the products the backfill links
-- (those whose brand is their legacy name), and return the foreign key to NOT VALID as
-- add_brand left it. Brands stay: add_brand's rollback keeps and drops them.
SELECT backup.preserve('catalog_product_brand_20261121104349', 'SELECT id AS product_id, brand_id FROM catalog.product WHERE brand_id IS NOT NULL');

UPDATE catalog.product p
   SET brand_id = NULL
  FROM catalog.brand b
 WHERE p.brand_id = b.id AND b.name = btrim(p.brand)::citext;

ALTER TABLE catalog.product DROP CONSTRAINT product_brand_id_fkey;
ALTER TABLE catalog.product ADD CONSTRAINT product_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

DROP FUNCTION IF EXISTS catalog.backfill_product_brands(bigint, integer);
