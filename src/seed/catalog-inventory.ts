/**
 * Seed step: a small catalog and stock history to explore after `npm run db:setup`: three
 * warehouses, brands, products with reorder settings, a supplier with its primary contact, and
 * receipts, issues and a transfer posted through the ledger (so levels, costs and the views are
 * real). Idempotent: natural keys upsert, movements carry idempotency keys.
 */
import type { Transaction } from '../db/transaction.ts';
import { postMovement, postTransfer } from '../inventory/ledger.ts';
import { refreshInventoryViews } from '../inventory/views.ts';
import type { SeedStep } from './step.ts';

const WAREHOUSES = [
  ['JHB', 'Johannesburg DC'],
  ['CPT', 'Cape Town DC'],
  ['DBN', 'Durban overflow'],
];

/** sku, name, brand, unit, reorder point, reorder quantity, safety stock */
const PRODUCTS: [string, string, string, string, number, number, number][] = [
  ['DEMO-001', 'Cake flour 25 kg', 'Golden Mill', 'BAG', 40, 100, 10],
  ['DEMO-002', 'Caster sugar 25 kg', 'Golden Mill', 'BAG', 30, 80, 8],
  ['DEMO-003', 'Nitrile gloves, box of 100', 'SafeHands', 'BOX', 20, 50, 5],
  ['DEMO-004', 'Oral rehydration salts, pack of 10', 'SafeHands', 'PACK', 100, 300, 50],
  ['DEMO-005', 'Jerrycan 20 l', 'Aquatrek', 'EA', 15, 40, 5],
];

/** idempotency key, sku, warehouse, type, quantity, unit cost */
const MOVEMENTS: [string, string, string, 'RECEIPT' | 'ISSUE', string, string?][] = [
  ['seed-grn-1', 'DEMO-001', 'JHB', 'RECEIPT', '120', '310.00'],
  ['seed-grn-2', 'DEMO-001', 'JHB', 'RECEIPT', '60', '325.50'],
  ['seed-so-1', 'DEMO-001', 'JHB', 'ISSUE', '-95'],
  ['seed-grn-3', 'DEMO-002', 'JHB', 'RECEIPT', '50', '540.00'],
  ['seed-so-2', 'DEMO-002', 'JHB', 'ISSUE', '-28'],
  ['seed-grn-4', 'DEMO-003', 'CPT', 'RECEIPT', '200', '89.90'],
  ['seed-grn-5', 'DEMO-004', 'DBN', 'RECEIPT', '400', '42.00'],
  ['seed-so-3', 'DEMO-004', 'DBN', 'ISSUE', '-330'],
  ['seed-grn-6', 'DEMO-005', 'CPT', 'RECEIPT', '12', '150.00'],
];

async function ids(client: Transaction, table: string, key: string): Promise<Map<string, string>> {
  const { rows } = await client.query(`SELECT ${key} AS key, id::text FROM ${table}`);
  return new Map(rows.map((row) => [row.key, row.id]));
}

export const catalogInventory: SeedStep = {
  name: 'catalog and inventory demo data',
  async run(client) {
    for (const [code, name] of WAREHOUSES) {
      await client.query('INSERT INTO catalog.warehouse (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [code, name]);
    }
    for (const brand of new Set(PRODUCTS.map((product) => product[2]))) {
      await client.query('INSERT INTO catalog.brand (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [brand]);
    }
    for (const [sku, name, brand, unit, reorderPoint, reorderQty, safetyStock] of PRODUCTS) {
      await client.query(
        `INSERT INTO catalog.product (sku, name, brand, brand_id, unit_of_measure, reorder_point, reorder_qty, safety_stock)
         SELECT $1, $2, $3::text, b.id, $4, $5, $6, $7 FROM catalog.brand b WHERE b.name = $3::citext
         ON CONFLICT (sku) DO NOTHING`,
        [sku, name, brand, unit, reorderPoint, reorderQty, safetyStock],
      );
    }
    await client.query(
      `INSERT INTO catalog.supplier (code, name, contact_email, contact_phone, website)
       VALUES ('DEMO-SUP', 'Demo Wholesale', 'orders@demo.example', '+27 11 555 0100', 'https://demo.example')
       ON CONFLICT (code) DO NOTHING`,
    );
    await client.query(
      `INSERT INTO catalog.supplier_contact (supplier_id, name, role, email, is_primary)
       SELECT s.id, 'Thandi Mokoena', 'account manager', 'thandi@demo.example', true FROM catalog.supplier s
        WHERE s.code = 'DEMO-SUP' AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary)`,
    );

    const products = await ids(client, 'catalog.product', 'sku');
    const warehouses = await ids(client, 'catalog.warehouse', 'code');
    for (const [key, sku, code, type, quantity, unitCost] of MOVEMENTS) {
      await postMovement(client, {
        type,
        productId: products.get(sku)!,
        warehouseId: warehouses.get(code)!,
        quantity,
        unitCost,
        idempotencyKey: key,
      });
    }
    await postTransfer(client, {
      productId: products.get('DEMO-001')!,
      fromWarehouseId: warehouses.get('JHB')!,
      toWarehouseId: warehouses.get('CPT')!,
      quantity: '30',
      transferId: '5eed0000-0000-4000-8000-000000000001',
      idempotencyKey: 'seed-transfer-1',
    });
    await refreshInventoryViews(client);
  },
};
