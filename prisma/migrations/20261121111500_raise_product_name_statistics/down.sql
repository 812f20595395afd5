-- Rollback of raise_product_name_statistics: back to the default statistics target.
ALTER TABLE catalog.product ALTER COLUMN name SET STATISTICS -1;
ANALYZE catalog.product (name);
