-- Checks of create_traceability_baseline: the tables exist, and a run needs an existing recipe.
DO $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['traceability.recipe', 'traceability.production_run', 'traceability.pallet']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_traceability_baseline: missing tables: %', missing;
  END IF;

  BEGIN
    INSERT INTO traceability.production_run (recipe_id) VALUES (-1);
    RAISE EXCEPTION 'create_traceability_baseline: a production run of a missing recipe was accepted';
  EXCEPTION WHEN foreign_key_violation THEN
    NULL;
  END;
END
$$;
