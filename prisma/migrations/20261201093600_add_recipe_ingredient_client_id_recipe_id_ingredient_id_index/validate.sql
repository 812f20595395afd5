-- Checks of add_recipe_ingredient_client_id_recipe_id_ingredient_id_index: a valid unique index on traceability.recipe_ingredient (client_id, recipe_id, ingredient_id).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'traceability.recipe_ingredient'::regclass AND i.indisunique AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'recipe_id', 'ingredient_id']
  ) THEN
    RAISE EXCEPTION 'add_recipe_ingredient_client_id_recipe_id_ingredient_id_index: no valid unique index on traceability.recipe_ingredient (client_id, recipe_id, ingredient_id)';
  END IF;
END
$$;
