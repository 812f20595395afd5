-- Checks of init: every extension exists and works.
DO $$
DECLARE
  missing text;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['btree_gist', 'citext', 'pg_trgm']) AS wanted
   WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = wanted);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'init: missing extensions: %', missing;
  END IF;

  IF NOT ('ACME'::citext = 'acme'::citext) THEN
    RAISE EXCEPTION 'init: citext does not compare case-insensitively';
  END IF;
  IF similarity('chocolate chip', 'chocolate chips') < 0.5 THEN
    RAISE EXCEPTION 'init: pg_trgm similarity is not usable';
  END IF;
END
$$;
