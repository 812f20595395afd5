-- Checks of create_traceability_baseline: the tables exist, and a run needs an existing recipe.
DO $$
DECLARE
  probe_client bigint;
  missing text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['traceability.recipe', 'traceability.production_run', 'traceability.pallet']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'create_traceability_baseline: missing tables: %', missing;
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  BEGIN
    INSERT INTO traceability.production_run (recipe_id) VALUES (-1);
    RAISE EXCEPTION 'create_traceability_baseline: a production run of a missing recipe was accepted';
  EXCEPTION WHEN foreign_key_violation THEN
    NULL;
  END;
END
$$;
