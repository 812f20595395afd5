-- Checks of add_batch_client_id_batch_number_index: a valid unique index on traceability.batch (client_id, batch_number).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'traceability.batch'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'batch_number']
  ) THEN
    RAISE EXCEPTION 'add_batch_client_id_batch_number_index: no valid unique index on traceability.batch (client_id, batch_number)';
  END IF;
END
$$;
