-- Checks of add_product_client_id_sku_index: a valid unique index on catalog.product (client_id, sku).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'catalog.product'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'sku']
  ) THEN
    RAISE EXCEPTION 'add_product_client_id_sku_index: no valid unique index on catalog.product (client_id, sku)';
  END IF;
END
$$;
