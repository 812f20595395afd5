-- Checks of finalize_product_brands: the seed's success criteria.
DO $$
DECLARE
  unlinked bigint;
  orphans bigint;
  products bigint;
  branded bigint;
BEGIN
  IF NOT (SELECT convalidated FROM pg_constraint WHERE conname = 'product_brand_id_fkey' AND conrelid = 'catalog.product'::regclass) THEN
    RAISE EXCEPTION 'finalize_product_brands: foreign key product_brand_id_fkey is not validated';
  END IF;

  SELECT count(*) INTO unlinked FROM catalog.product WHERE brand_id IS NULL AND btrim(brand) <> '';
  IF unlinked > 0 THEN
    RAISE EXCEPTION 'finalize_product_brands: % product(s) have a legacy brand name but no brand (run: npm run backfill -- product-brands)', unlinked;
  END IF;

  SELECT count(*) INTO orphans FROM catalog.product p LEFT JOIN catalog.brand b ON b.id = p.brand_id
   WHERE p.brand_id IS NOT NULL AND b.id IS NULL;
  IF orphans > 0 THEN
    RAISE EXCEPTION 'finalize_product_brands: % product(s) point at a missing brand', orphans;
  END IF;

  SELECT count(*), count(brand_id) INTO products, branded FROM catalog.product;
  IF products > 0 AND branded * 2 < products THEN
    RAISE EXCEPTION 'finalize_product_brands: brand coverage is % of % products, below the 50%% the seed requires', branded, products;
  END IF;
END
$$;
