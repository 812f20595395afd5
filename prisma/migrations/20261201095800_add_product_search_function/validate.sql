-- Checks of add_product_search_function (validate.sql always runs rolled back; it runs as the
-- owner, a member of the application role): as supply_ledger_app, a client finds its own product
-- and not another client's of the same name, and without a client the function refuses.
DO $$
DECLARE
  mine bigint;
  theirs bigint;
  found_ids bigint[];
  refused boolean := false;
BEGIN
  IF to_regprocedure('catalog.search_products(text, integer)') IS NULL THEN
    RAISE EXCEPTION 'add_product_search_function: catalog.search_products(text, integer) is missing';
  END IF;
  INSERT INTO core.client (code, name) VALUES ('VALIDATE-SEARCH-A', 'validate.sql probe') RETURNING id INTO mine;
  INSERT INTO core.client (code, name) VALUES ('VALIDATE-SEARCH-B', 'validate.sql probe') RETURNING id INTO theirs;
  PERFORM set_config('app.client_id', theirs::text, true);
  INSERT INTO catalog.product (sku, name) VALUES ('VALIDATE-SEARCH', 'validate search probe zqxj');
  PERFORM set_config('app.client_id', mine::text, true);
  INSERT INTO catalog.product (sku, name) VALUES ('VALIDATE-SEARCH', 'validate search probe zqxj');

  SET LOCAL ROLE supply_ledger_app;
  SELECT array_agg(s.id) INTO found_ids FROM catalog.search_products('%probe zqxj%', 21) s;
  IF found_ids IS NULL OR cardinality(found_ids) <> 1
     OR found_ids[1] <> (SELECT p.id FROM catalog.product p WHERE p.sku = 'VALIDATE-SEARCH') THEN
    RAISE EXCEPTION 'add_product_search_function: client % found % instead of its one product', mine, found_ids;
  END IF;
  PERFORM set_config('app.client_id', '', true);
  BEGIN
    PERFORM catalog.search_products('%probe zqxj%', 21);
  EXCEPTION WHEN insufficient_privilege THEN
    refused := true;
  END;
  RESET ROLE;
  IF NOT refused THEN
    RAISE EXCEPTION 'add_product_search_function: catalog.search_products ran without a client';
  END IF;
END
$$;
