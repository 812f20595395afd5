-- Checks of backfill_product_brands: the batch function exists and does one batch right (probed
-- with writes: validate.sql always runs rolled back). Whether the backfill has run is
-- finalize_product_brands' check.
DO $$
DECLARE
  probe_client bigint;
  probe bigint;
  batch record;
  linked text;
BEGIN
  IF to_regprocedure('catalog.backfill_product_brands(bigint,integer)') IS NULL THEN
    RAISE EXCEPTION 'backfill_product_brands: catalog.backfill_product_brands(bigint, integer) is missing';
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- One product with a legacy name typed loosely: the batch of just that product creates its brand and links it.
  INSERT INTO catalog.product (sku, name, brand) VALUES ('__validate__', 'probe', '  __Validate Probe Brand__ ') RETURNING id INTO probe;
  SELECT * INTO batch FROM catalog.backfill_product_brands(probe - 1, 1);
  SELECT b.name::text INTO linked FROM catalog.product p JOIN catalog.brand b ON b.id = p.brand_id WHERE p.id = probe;
  IF batch.last_id IS DISTINCT FROM probe OR batch.changed <> 1 OR linked IS DISTINCT FROM '__Validate Probe Brand__' THEN
    RAISE EXCEPTION 'backfill_product_brands: a batch of one product returned (%, %) and linked it to %, expected (%, 1) and the brand __Validate Probe Brand__',
      batch.last_id, batch.changed, coalesce(linked, 'nothing'), probe;
  END IF;
END
$$;
