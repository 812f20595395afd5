-- Checks of add_pallet_client_id_sscc_index: a valid unique index on traceability.pallet (client_id, sscc).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'traceability.pallet'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'sscc']
  ) THEN
    RAISE EXCEPTION 'add_pallet_client_id_sscc_index: no valid unique index on traceability.pallet (client_id, sscc)';
  END IF;
END
$$;
