/*
 * backfill_product_brands: the batched backfill that creates one brand per distinct legacy brand
 * name and links every product to its brand (seed 000: "Brands created", "Products with brand").
 * It installs the work; it does not run it.
 *
 * Names are trimmed and compared case-insensitively: " acme ", "Acme" and "ACME" are one brand,
 * spelled as the product with the lowest id spells it. Blank names link nothing. Only products
 * without a link are touched, so a link the application made since is kept, and running the
 * backfill again changes nothing.
 *
 * The work is catalog.backfill_product_brands(after_id, batch_size), which handles the next batch
 * of products by id (keyset) and returns the last id it covered. Expand → backfill → finalize
 * (docs/CONVENTIONS.md, "Data backfills"; docs/operations.md §6):
 * 1. add_brand (expand): catalog.brand, product.brand_id, the foreign key NOT VALID.
 * 2. This migration, then the operator runs `npm run backfill -- product-brands` while the
 *    application runs: each batch of 1000 products is its own transaction, so a product is
 *    row-locked for one batch, not for the deploy.
 * 3. finalize_product_brands: does whatever the backfill left (all of it, when it never ran) and
 *    validates the foreign key.
 *
 * Why batched, measured at 1,000,000 products (`npm run bench:backfill-locks`: legacy names
 * shaped like tests/migration-history/data, 5,000 brands, 3 products in 4 named; 2026-12-01, a 2-core
 * noisy machine; PostgreSQL 18 / 15):
 * - Inside one deploy transaction, as this migration used to run it (and as finalize_product_brands
 *   runs it when the backfill never ran): 40.8 / 21.7 s, every linked product row-locked until
 *   the commit; an application update of the first one waited 40.8 / 21.6 s.
 * - In batches of 1000: 1000 batches of 41 / 30 ms at p50, 91 / 41 ms at p95, 219 / 69 ms at
 *   most, 47 / 29 s in all; an application update of a product of the batch in progress waited at
 *   most 158 / 56 ms. finalize_product_brands then takes 3.1 / 1.4 s and locks no product.
 *
 * Locks: none on data (a new function). Expected runtime: instant. Rollback: down.sql (keeps the
 * links the backfill made in a backup table, then unlinks them). Checks: validate.sql.
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
-- [CUSTOM_CHANGE_END]
