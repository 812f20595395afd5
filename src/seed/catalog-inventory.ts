/**
 * Seed step: a small catalog and stock history to explore after `npm run db:setup`: three
 * warehouses, brands, products with reorder settings, a supplier with its payment term and primary
 * contact, receipts, issues, a customer return, a reversal and a transfer posted through the ledger
 * (so levels, costs and the views are real) with the goods receipts behind them, and a posted cycle
 * count, for each demo client, its quantities scaled by the client's. Idempotent: natural keys
 * upsert, movements carry idempotency keys.
 */
import type { ClientTransaction } from '../db/tenancy.ts';
import { postMovement, postTransfer } from '../inventory/ledger.ts';
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
  ['DEMO-006', 'Sourdough loaf 800 g', 'Harbour Bakehouse', 'EA', 100, 400, 40],
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
  ['seed-grn-7', 'DEMO-005', 'CPT', 'RECEIPT', '3', '150.00'],
];

async function ids(client: ClientTransaction, table: string, key: string): Promise<Map<string, string>> {
  const { rows } = await client.query(`SELECT ${key} AS key, id::text FROM ${table}`);
  return new Map(rows.map((row) => [row.key, row.id]));
}

export const catalogInventory: SeedStep = {
  name: 'catalog and inventory demo data',
  async run(client, demo) {
    // client_id comes from the column default: the client the transaction works for.
    for (const [code, name] of WAREHOUSES) {
      await client.query('INSERT INTO catalog.warehouse (code, name) VALUES ($1, $2) ON CONFLICT (client_id, code) DO NOTHING', [
        code,
        name,
      ]);
    }
    for (const brand of new Set(PRODUCTS.map((product) => product[2]))) {
      await client.query('INSERT INTO catalog.brand (name) VALUES ($1) ON CONFLICT (client_id, name) DO NOTHING', [brand]);
    }
    for (const [sku, name, brand, unit, reorderPoint, reorderQty, safetyStock] of PRODUCTS) {
      await client.query(
        `INSERT INTO catalog.product (sku, name, brand, brand_id, unit_of_measure, reorder_point, reorder_qty, safety_stock)
         SELECT $1, $2, $3::text, b.id, $4, $5, $6, $7 FROM catalog.brand b WHERE b.name = $3::citext
         ON CONFLICT (client_id, sku) DO NOTHING`,
        [sku, name, brand, unit, reorderPoint, reorderQty, safetyStock],
      );
    }
    await client.query(
      `INSERT INTO catalog.payment_term (code, name, net_days, discount_percent, discount_days)
       VALUES ('2-10-NET-30', '2% 10, net 30', 30, 2.00, 10)
       ON CONFLICT (client_id, code) DO NOTHING`,
    );
    await client.query(
      `INSERT INTO catalog.supplier (code, name, contact_email, contact_phone, website, payment_term_id)
       SELECT 'DEMO-SUP', 'Demo Wholesale', 'orders@demo.example', '+27 11 555 0100', 'https://demo.example', t.id
         FROM catalog.payment_term t WHERE t.code = '2-10-NET-30'
       ON CONFLICT (client_id, code) DO NOTHING`,
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
        quantity: String(Number(quantity) * demo.scale),
        unitCost,
        idempotencyKey: key,
      });
    }
    const movements = await ids(client, 'inventory.stock_movement', 'idempotency_key');
    // A customer sends part of an order back, and a receipt keyed in twice is reversed at its own cost.
    await postMovement(client, {
      type: 'RETURN_FROM_CUSTOMER',
      productId: products.get('DEMO-001')!,
      warehouseId: warehouses.get('JHB')!,
      quantity: String(5 * demo.scale),
      returnsMovementId: movements.get('seed-so-1')!,
      idempotencyKey: 'seed-return-1',
    });
    await postMovement(client, {
      type: 'RECEIPT',
      productId: products.get('DEMO-005')!,
      warehouseId: warehouses.get('CPT')!,
      quantity: String(-3 * demo.scale),
      reversesMovementId: movements.get('seed-grn-7')!,
      reason: 'receipt keyed in twice',
      idempotencyKey: 'seed-reversal-1',
    });
    // The purchasing record behind each receipt (the source of the cost backfill in older data).
    await client.query(
      `INSERT INTO inventory.goods_receipt (product_id, warehouse_id, supplier_id, quantity, unit_cost, reference)
       SELECT m.product_id, m.warehouse_id, s.id, m.quantity, m.unit_cost, m.idempotency_key
         FROM inventory.stock_movement m JOIN catalog.supplier s ON s.code = 'DEMO-SUP'
        WHERE m.movement_type = 'RECEIPT' AND m.idempotency_key LIKE 'seed-grn-%'
          AND NOT EXISTS (SELECT 1 FROM inventory.goods_receipt g WHERE g.reference = m.idempotency_key)`,
    );
    // A cycle count at Cape Town that found two boxes of gloves missing (scaled), posted: its line
    // holds the adjustment movement.
    await client.query(
      `INSERT INTO inventory.stock_count (warehouse_id, note)
       SELECT w.id, 'demo cycle count' FROM catalog.warehouse w
        WHERE w.code = 'CPT' AND NOT EXISTS (SELECT 1 FROM inventory.stock_count c WHERE c.note = 'demo cycle count')`,
    );
    await client.query(
      `INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty)
       SELECT c.id, p.id, 198 * $1::numeric FROM inventory.stock_count c JOIN catalog.product p ON p.sku = 'DEMO-003'
        WHERE c.note = 'demo cycle count' AND c.status = 'OPEN'
       ON CONFLICT (client_id, stock_count_id, product_id) DO NOTHING`,
      [demo.scale],
    );
    await client.query(
      `SELECT inventory.post_stock_count(c.id) FROM inventory.stock_count c WHERE c.note = 'demo cycle count' AND c.status = 'OPEN'`,
    );
    await postTransfer(client, {
      productId: products.get('DEMO-001')!,
      fromWarehouseId: warehouses.get('JHB')!,
      toWarehouseId: warehouses.get('CPT')!,
      quantity: String(30 * demo.scale),
      transferId: `5eed0000-0000-4000-8000-00000000000${demo.scale}`,
      idempotencyKey: 'seed-transfer-1',
    });
  },
};
