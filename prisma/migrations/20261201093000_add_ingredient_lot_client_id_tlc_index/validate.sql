-- Checks of add_ingredient_lot_client_id_tlc_index: a valid unique index on traceability.ingredient_lot (client_id, tlc).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'traceability.ingredient_lot'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'tlc']
  ) THEN
    RAISE EXCEPTION 'add_ingredient_lot_client_id_tlc_index: no valid unique index on traceability.ingredient_lot (client_id, tlc)';
  END IF;
END
$$;
