import type { BackfillDefinition } from './runner.ts';

/**
 * The backfills operators can run after a deploy (`npm run backfill -- <name>`). Each drives a
 * batch function its migration made, so the data logic stays frozen in that migration.
 *
 * `product-brands` and `supplier-contacts` are the backfill step of expand → backfill → finalize
 * (docs/CONVENTIONS.md, "Data backfills"): run them between the deploy of their migration and the
 * deploy of its finalizing migration (`finalize_product_brands`, `finalize_supplier_contacts`),
 * which does whatever is left inside the deploy and validates. `opening-balances` runs inside
 * `add_stock_ledger`; run here, it handles levels written around the ledger since.
 *
 * Since `swap_tenant_keys` each batch function goes through the rows of one client, the one the
 * setting app.client_id names (it refuses without one, SQLSTATE 42501): run a backfill client by
 * client, as supply_ledger_owner (which row-level security does not hold back). The verification
 * queries join by id alone, which is unique across clients, so that they also run on a database
 * deployed only up to a backfill's migrations; they count the rows of the clients the connection
 * sees: all of them as the owner, one under a client.
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
  {
    name: 'opening-balances',
    summary: 'post stock levels not yet in the ledger as opening balances at the latest receipt cost',
    batchFunction: 'inventory.backfill_opening_balances',
    migration: '20261121104716_add_stock_ledger',
    verification: `
      SELECT count(*) AS problems, 'stock levels whose on-hand quantity differs from their ledger' AS detail
        FROM inventory.stock_level l
       WHERE l.qty_on_hand <> coalesce((SELECT sum(m.quantity) FROM inventory.stock_movement m
                                         WHERE m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id), 0)`,
  },
  {
    name: 'supplier-contacts',
    summary: 'copy legacy supplier phone and email into the contact columns and primary contacts',
    batchFunction: 'catalog.backfill_supplier_contacts',
    migration: '20261121104845_backfill_supplier_contacts',
    verification: `
      SELECT count(*) AS problems, 'suppliers with legacy contact details only, or contact details but no primary contact' AS detail
        FROM catalog.supplier s
       WHERE s.contact_phone IS NULL AND btrim(s.phone) <> ''
          OR s.contact_email IS NULL AND btrim(s.email) <> ''
          OR num_nonnulls(s.contact_email, s.contact_phone) > 0
             AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary)`,
  },
  {
    name: 'product-timing',
    summary: "project each product's stockout and order-by dates from the last 90 days of ledger demand (rerun to refresh)",
    batchFunction: 'catalog.backfill_product_timing',
    migration: '20261202100500_add_product_lead_times',
    // Measured (speed_up_product_timing_backfill, 100,000 products): 5,000 a batch took 0.76x the
    // time of 1,000 (fewer plans and commits); a batch holds its products' rows 0.15 to 0.7 s by load.
    batchSize: 5000,
    // Measured (bench:fulfillment, 1,000,000 products): right after the run one product's projection
    // took p95 1.4 ms, pruning the rewritten pages as it read them; after the VACUUM, 0.65 ms.
    vacuumAfter: 'catalog.product',
    verification: `
      SELECT count(*) AS problems, 'products whose stockout projection was never calculated' AS detail
        FROM catalog.product WHERE timing_last_calculated IS NULL`,
  },
];
