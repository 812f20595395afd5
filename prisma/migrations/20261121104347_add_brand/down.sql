-- Rollback of add_brand. Brands and the products' links to them are kept in backup tables first
-- (as the seed's rollback keeps backup.brand_backup_*).
SELECT backup.preserve('catalog_brand_20261121104347', 'SELECT * FROM catalog.brand');
SELECT backup.preserve('catalog_product_brand_20261121104347', 'SELECT id AS product_id, brand_id FROM catalog.product WHERE brand_id IS NOT NULL');

DROP TRIGGER IF EXISTS _500_set_updated_at ON catalog.warehouse;
DROP TRIGGER IF EXISTS _500_set_updated_at ON catalog.supplier;
DROP TRIGGER IF EXISTS _500_set_updated_at ON catalog.product;
DROP TRIGGER IF EXISTS _500_set_updated_at ON catalog.brand;

COMMENT ON COLUMN catalog.product.brand IS NULL;
ALTER TABLE catalog.product DROP CONSTRAINT IF EXISTS product_brand_id_fkey;
ALTER TABLE catalog.product DROP COLUMN IF EXISTS brand_id;
DROP TABLE IF EXISTS catalog.brand;
