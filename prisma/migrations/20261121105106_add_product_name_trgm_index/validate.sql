-- Checks of add_product_name_trgm_index: a valid GIN trigram index on catalog.product(name).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE i.indexrelid = to_regclass('catalog.product_name_trgm_idx') AND i.indisvalid AND am.amname = 'gin'
       AND pg_get_indexdef(i.indexrelid) LIKE '%gin_trgm_ops%'
  ) THEN
    RAISE EXCEPTION 'add_product_name_trgm_index: catalog.product_name_trgm_idx is missing, invalid, or not a trigram GIN index';
  END IF;
END
$$;
