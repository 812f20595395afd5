-- Checks of add_brand (probing with writes: validate.sql always runs in a rolled-back transaction).
DO $$
DECLARE
  probe_client bigint;
  stamped timestamptz;
BEGIN
  IF to_regclass('catalog.brand') IS NULL THEN
    RAISE EXCEPTION 'add_brand: table catalog.brand is missing';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'product_brand_id_fkey' AND conrelid = 'catalog.product'::regclass) THEN
    RAISE EXCEPTION 'add_brand: foreign key product_brand_id_fkey is missing';
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- Brand names are unique whatever the case.
  INSERT INTO catalog.brand (name) VALUES ('__Validate Probe__');
  BEGIN
    INSERT INTO catalog.brand (name) VALUES ('__VALIDATE PROBE__');
    RAISE EXCEPTION 'add_brand: brand names differing only in case were both accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;

  -- updated_at is set by the database on update, whatever the writer sets.
  UPDATE catalog.brand SET updated_at = '2000-01-01' WHERE name = '__validate probe__' RETURNING updated_at INTO stamped;
  IF stamped = '2000-01-01' THEN
    RAISE EXCEPTION 'add_brand: updated_at is not maintained by trigger on catalog.brand';
  END IF;
END
$$;
