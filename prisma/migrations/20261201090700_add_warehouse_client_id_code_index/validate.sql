-- Checks of add_warehouse_client_id_code_index: a valid unique index on catalog.warehouse (client_id, code).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'catalog.warehouse'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'code']
  ) THEN
    RAISE EXCEPTION 'add_warehouse_client_id_code_index: no valid unique index on catalog.warehouse (client_id, code)';
  END IF;
END
$$;
