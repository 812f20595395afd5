import type { BackfillDefinition } from './runner.ts';

/**
 * The backfills operators can run after a deploy (`npm run backfill -- <name>`). Each drives a
 * batch function its migration made, so the data logic stays frozen in that migration.
 */
export const BACKFILLS: BackfillDefinition[] = [
  {
    name: 'product-brands',
    summary: 'create brands from the legacy brand names and link products to them',
    batchFunction: 'catalog.backfill_product_brands',
    migration: '20261121104349_backfill_product_brands',
    verification: `
      SELECT count(*) AS problems, 'products with a legacy brand name but no brand' AS detail
        FROM catalog.product WHERE brand_id IS NULL AND btrim(brand) <> ''`,
  },
];
