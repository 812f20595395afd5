import { beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { lowStockAlerts, valuationByWarehouse } from '../../src/inventory/views.ts';
import { seed } from '../../src/seed/index.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';

/** Row counts of every table the seed writes. */
async function counts(client: pg.Client): Promise<Record<string, number>> {
  const tables = [
    'catalog.warehouse',
    'catalog.brand',
    'catalog.product',
    'catalog.supplier',
    'catalog.supplier_contact',
    'inventory.stock_level',
    'inventory.stock_movement',
    'traceability.ingredient_lot',
    'traceability.batch',
    'traceability.batch_ingredient',
    'traceability.pallet_content',
  ];
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  return result;
}

describe('the seed', () => {
  let client: pg.Client;
  beforeAll(async () => {
    ({ client } = await scratchDatabase({ template: templateName() }));
  });

  it('posts a demo catalog and stock history through the ledger, and a second run changes nothing', async () => {
    const lines: string[] = [];
    await seed(client, (line) => lines.push(line));
    expect(lines).toEqual(['[seed] catalog and inventory demo data', '[seed] traceability demo genealogy', '[seed] 2 steps done']);
    const first = await counts(client);
    expect(first).toMatchObject({
      'catalog.warehouse': 3,
      'catalog.product': 5,
      'catalog.supplier_contact': 1,
      'inventory.stock_movement': 11,
    });

    const valuation = await valuationByWarehouse(client);
    // JHB: flour 55 at 315.166667 (120 at 310 and 60 at 325.50), sugar 22 at 540.
    expect(valuation.find((row) => row.warehouseCode === 'JHB')).toMatchObject({
      productsInStock: 2,
      totalQuantity: '77.0000',
      totalValue: '29214.1667',
    });
    const alerts = (await lowStockAlerts(client)).map((alert) => [alert.sku, alert.warehouseCode, alert.status]);
    expect(alerts).toEqual([
      ['DEMO-001', 'CPT', 'BELOW_REORDER_POINT'],
      ['DEMO-002', 'JHB', 'BELOW_REORDER_POINT'],
      ['DEMO-004', 'DBN', 'BELOW_REORDER_POINT'],
      ['DEMO-005', 'CPT', 'BELOW_REORDER_POINT'],
    ]);

    // The demo genealogy traces: the eggs reached both batches and the pallet.
    const { rows } = await client.query(
      `SELECT node_kind, code, quantity::text FROM traceability.trace_forward('LOT', (SELECT id FROM traceability.ingredient_lot WHERE tlc = 'DEMO-TLC-EGG-001'))`,
    );
    expect(rows.map((row) => `${row.node_kind} ${row.code} ${row.quantity}`)).toEqual([
      'LOT DEMO-TLC-EGG-001 720.0000',
      'BATCH DEMO-B-001 120.0000',
      'BATCH DEMO-B-002 15.0000',
      'PALLET 106141411234567897 105.0000',
    ]);

    await seed(client, () => {});
    expect(await counts(client)).toEqual(first);
    expect(
      (await client.query(`SELECT consumed_quantity::text FROM traceability.ingredient_lot WHERE tlc = 'DEMO-TLC-EGG-001'`)).rows[0],
    ).toEqual({
      consumed_quantity: '120.0000',
    });
  });
});
