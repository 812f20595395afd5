-- Checks of add_recipe_client_one_active_version_index: a valid unique index on traceability.recipe (client_id, product_id) WHERE is_active (named recipe_one_active_version_key once swap_tenant_keys put it in that one's place).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'traceability.recipe'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) = 'is_active'
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'product_id']
  ) THEN
    RAISE EXCEPTION 'add_recipe_client_one_active_version_index: no valid unique index on traceability.recipe (client_id, product_id) WHERE is_active';
  END IF;
END
$$;
