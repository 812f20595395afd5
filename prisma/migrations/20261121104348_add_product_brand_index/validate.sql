-- Checks of add_product_brand_index: the index exists, is valid, and covers brand_id.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indexrelid = to_regclass('catalog.product_brand_id_idx')
       AND i.indisvalid
       AND i.indrelid = 'catalog.product'::regclass
       AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = 'catalog.product'::regclass AND attname = 'brand_id')
  ) THEN
    RAISE EXCEPTION 'add_product_brand_index: catalog.product_brand_id_idx is missing, invalid or not on brand_id';
  END IF;
END
$$;
