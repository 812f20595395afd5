-- Checks of add_stock_level_client_id_product_id_warehouse_id_index: a valid unique index on inventory.stock_level (client_id, product_id, warehouse_id).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'inventory.stock_level'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'product_id', 'warehouse_id']
  ) THEN
    RAISE EXCEPTION 'add_stock_level_client_id_product_id_warehouse_id_index: no valid unique index on inventory.stock_level (client_id, product_id, warehouse_id)';
  END IF;
END
$$;
