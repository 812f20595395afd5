/*
 * finalize_product_brands: the last step of the brand backfill (expand → backfill → finalize, as
 * GitLab finalizes a batched background migration): every product with a legacy brand name is
 * linked to its brand, then product_brand_id_fkey (added NOT VALID by add_brand) is validated.
 * Seed 000: "Products with brand", brand coverage at least 50% (validate.sql).
 *
 * Whatever the backfill of backfill_product_brands has not done yet is done here, by the same
 * batch function, in the deploy's transaction: all of it when the operator never ran
 * `npm run backfill -- product-brands`, or the products an older application version wrote with
 * a legacy name only since the backfill ran. A deploy is therefore correct whether or not the
 * backfill ran; it only holds its row locks longer when it did not (figures below). The loop
 * jumps to the next product left to link, so a backfill that ran leaves one index scan here.
 *
 * Locks: ROW EXCLUSIVE on catalog.product and catalog.brand, and a row lock on each product it
 * links until the commit; SHARE UPDATE EXCLUSIVE on catalog.product to validate (writes go on).
 * Measured at 1,000,000 products (`npm run bench:backfill-locks`, 5,000 brands, 3 products in 4
 * named; 2026-12-01, a 2-core noisy machine; PostgreSQL 18 / 15):
 * - After the backfill ran: 3.1 / 1.4 s (one scan, then the validation), no product locked; an
 *   application update of a product waited at most 16 / 18 ms.
 * - When it never ran: 30.5 / 18.2 s, every linked product (3 in 4) row-locked until the commit;
 *   an application update of the first one waited 30.5 / 18.2 s. Run the backfill first
 *   (docs/operations.md §6): its batches lock a product for 41 / 30 ms at p50, 219 / 69 ms at most.
 *
 * Rollback: down.sql (the foreign key back to NOT VALID; the links stay, backfill_product_brands'
 * rollback removes them). Checks: validate.sql (the seed's success criteria: every named product
 * linked, brand coverage at least 50%, no orphans).
 */

-- [CUSTOM_CHANGE_START] finish the brand backfill, then validate
-- Prisma has no data migrations and no NOT VALID constraints to validate.
DO $$
DECLARE
  cursor_id bigint := 0;
  next_id bigint;
BEGIN
  LOOP
    SELECT min(id) INTO next_id
      FROM catalog.product
     WHERE id > cursor_id AND brand_id IS NULL AND btrim(brand) <> '';
    EXIT WHEN next_id IS NULL;
    SELECT last_id INTO cursor_id FROM catalog.backfill_product_brands(next_id - 1, 1000);
  END LOOP;
END
$$;

ALTER TABLE "catalog"."product" VALIDATE CONSTRAINT "product_brand_id_fkey";
-- [CUSTOM_CHANGE_END]
