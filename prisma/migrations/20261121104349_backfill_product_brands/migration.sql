/*
 * backfill_product_brands: one brand per distinct legacy brand name, and every product linked to
 * its brand (seed 000: "Brands created", "Products with brand"), then the foreign key validated.
 *
 * Names are trimmed and compared case-insensitively: " acme ", "Acme" and "ACME" are one brand,
 * spelled as the product with the lowest id spells it. Blank names link nothing. Only products
 * without a link are touched, so a link the application made since is kept, and running the
 * backfill again changes nothing.
 *
 * The work is catalog.backfill_product_brands(after_id, batch_size), which handles the next batch
 * of products by id (keyset) and returns the last id it covered. This migration runs it to the end
 * in batches of 1000. `npm run backfill -- product-brands` runs the same function, each batch in
 * its own transaction, to catch products the previous application version still writes with only
 * a legacy name.
 *
 * Locks: ROW EXCLUSIVE on catalog.product and catalog.brand (each product updated is row-locked
 * until commit), then SHARE UPDATE EXCLUSIVE to validate the foreign key (writes continue).
 * Expected runtime: about 10 s per million products. Rollback: down.sql. Checks: validate.sql
 * (the seed's success criteria: every named product linked, brand coverage at least 50%, no orphans).
 */

-- [CUSTOM_CHANGE_START] brand backfill
CREATE OR REPLACE FUNCTION catalog.backfill_product_brands(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  upper_id bigint;
  linked bigint;
BEGIN
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.product WHERE id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  INSERT INTO catalog.brand (name)
  SELECT DISTINCT ON (lower(btrim(p.brand))) btrim(p.brand)
    FROM catalog.product p
   WHERE p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
   ORDER BY lower(btrim(p.brand)), p.id
  ON CONFLICT (name) DO NOTHING;

  UPDATE catalog.product p
     SET brand_id = b.id
    FROM catalog.brand b
   WHERE p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
     AND b.name = btrim(p.brand)::citext;
  GET DIAGNOSTICS linked = ROW_COUNT;

  RETURN QUERY SELECT upper_id, linked;
END
$$;
COMMENT ON FUNCTION catalog.backfill_product_brands(bigint, integer) IS
  'Brand backfill, one batch: creates the brands of the legacy names of products with id in (after_id, after_id + batch_size products] and links those products. Returns the last id covered (NULL when none is left) and how many products it linked.';

DO $$
DECLARE
  cursor_id bigint := 0;
  batch record;
BEGIN
  LOOP
    SELECT * INTO batch FROM catalog.backfill_product_brands(cursor_id, 1000);
    EXIT WHEN batch.last_id IS NULL;
    cursor_id := batch.last_id;
  END LOOP;
END
$$;

ALTER TABLE "catalog"."product" VALIDATE CONSTRAINT "product_brand_id_fkey";
-- [CUSTOM_CHANGE_END]
