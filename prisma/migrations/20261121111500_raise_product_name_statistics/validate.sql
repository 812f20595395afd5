-- Checks of raise_product_name_statistics: catalog.product.name keeps a 1000-entry histogram.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_attribute
     WHERE attrelid = 'catalog.product'::regclass AND attname = 'name' AND attstattarget = 1000
  ) THEN
    RAISE EXCEPTION 'raise_product_name_statistics: the statistics target of catalog.product.name is not 1000';
  END IF;
END
$$;
