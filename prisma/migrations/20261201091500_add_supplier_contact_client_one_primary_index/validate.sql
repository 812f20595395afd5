-- Checks of add_supplier_contact_client_one_primary_index: a valid unique index on catalog.supplier_contact (client_id, supplier_id) WHERE is_primary (named supplier_contact_one_primary_key once swap_tenant_keys put it in that one's place).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'catalog.supplier_contact'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) = 'is_primary'
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'supplier_id']
  ) THEN
    RAISE EXCEPTION 'add_supplier_contact_client_one_primary_index: no valid unique index on catalog.supplier_contact (client_id, supplier_id) WHERE is_primary';
  END IF;
END
$$;
