-- Rollback of finalize_product_brands: the foreign key goes back to NOT VALID, as add_brand left
-- it. The links stay: they may come from the backfill the operator ran before this migration, and
-- backfill_product_brands' rollback keeps them in a backup table and removes them.
ALTER TABLE catalog.product DROP CONSTRAINT product_brand_id_fkey;
ALTER TABLE catalog.product ADD CONSTRAINT product_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
