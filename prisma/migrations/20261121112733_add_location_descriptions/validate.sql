-- Checks of add_location_descriptions: the check digit function agrees with known GS1 keys, and
-- a GLN with a wrong check digit is refused.
DO $$
DECLARE
  probe_client bigint;
BEGIN
  IF to_regprocedure('catalog.is_valid_gs1_key(text)') IS NULL THEN
    RAISE EXCEPTION 'add_location_descriptions: catalog.is_valid_gs1_key(text) is missing';
  END IF;
  -- GS1's own examples: GLN 0614141000005, GTIN 4006381333931, SSCC 106141411234567897.
  IF NOT (catalog.is_valid_gs1_key('0614141000005') AND catalog.is_valid_gs1_key('4006381333931')
          AND catalog.is_valid_gs1_key('106141411234567897') AND NOT catalog.is_valid_gs1_key('106141411234567890')) THEN
    RAISE EXCEPTION 'add_location_descriptions: is_valid_gs1_key disagrees with GS1 examples';
  END IF;
  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  BEGIN
    INSERT INTO catalog.warehouse (code, name, gln) VALUES ('__validate__', 'probe', '0614141000006');
    RAISE EXCEPTION 'add_location_descriptions: a GLN with a wrong check digit was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;
