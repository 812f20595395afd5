/**
 * Every foreign key of the catalog and inventory schemas, broken both ways (a dangling reference,
 * and deleting what is referenced: 23001 from PostgreSQL 18, 23503 before), and the checks not
 * broken elsewhere. tests/schema/census.test.ts makes sure nothing is left out.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { postMovement } from '../../src/inventory/ledger.ts';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { catalogFixture } from './fixtures.ts';

type Fixture = Awaited<ReturnType<typeof catalogFixture>> & { supplierId: string; countId: string };

/** The catalog fixture with 10 received into the first warehouse, a supplier and an open count there. */
async function fixture(client: ClientTransaction): Promise<Fixture> {
  const f = await catalogFixture(client);
  await postMovement(client, { type: 'RECEIPT', productId: f.productId, warehouseId: f.warehouseId, quantity: 10, unitCost: 2 });
  const supplier = await client.query(`INSERT INTO catalog.supplier (code, name) VALUES ('SUP-' || $1::text, 'Probe') RETURNING id::text`, [
    f.productId,
  ]);
  const count = await client.query('INSERT INTO inventory.stock_count (warehouse_id) VALUES ($1) RETURNING id::text', [f.otherWarehouseId]);
  return { ...f, supplierId: supplier.rows[0].id, countId: count.rows[0].id };
}

const MISSING = '-42';

type Write = (f: Fixture) => [sql: string, params: (string | null)[]];

/** [foreign key, a write that points it at nothing]. */
const DANGLING: [string, Write][] = [
  ['product_brand_id_fkey', (f) => ['UPDATE catalog.product SET brand_id = $2 WHERE id = $1', [f.productId, MISSING]]],
  ['supplier_payment_term_id_fkey', (f) => ['UPDATE catalog.supplier SET payment_term_id = $2 WHERE id = $1', [f.supplierId, MISSING]]],
  ['supplier_contact_supplier_id_fkey', () => [`INSERT INTO catalog.supplier_contact (supplier_id, name) VALUES ($1, 'x')`, [MISSING]]],
  [
    'stock_level_product_id_fkey',
    (f) => ['INSERT INTO inventory.stock_level (product_id, warehouse_id) VALUES ($1, $2)', [MISSING, f.warehouseId]],
  ],
  [
    'stock_level_warehouse_id_fkey',
    (f) => ['INSERT INTO inventory.stock_level (product_id, warehouse_id) VALUES ($1, $2)', [f.productId, MISSING]],
  ],
  ['goods_receipt_product_id_fkey', (f) => [RECEIPT, [MISSING, f.warehouseId, f.supplierId]]],
  ['goods_receipt_warehouse_id_fkey', (f) => [RECEIPT, [f.productId, MISSING, f.supplierId]]],
  ['goods_receipt_supplier_id_fkey', (f) => [RECEIPT, [f.productId, f.warehouseId, MISSING]]],
  ['stock_count_warehouse_id_fkey', () => ['INSERT INTO inventory.stock_count (warehouse_id) VALUES ($1)', [MISSING]]],
  ['stock_count_line_stock_count_id_fkey', (f) => [COUNT_LINE, [MISSING, f.productId, null]]],
  ['stock_count_line_product_id_fkey', (f) => [COUNT_LINE, [f.countId, MISSING, null]]],
  ['stock_count_line_adjustment_movement_id_fkey', (f) => [COUNT_LINE, [f.countId, f.productId, MISSING]]],
];
const RECEIPT =
  'INSERT INTO inventory.goods_receipt (product_id, warehouse_id, supplier_id, quantity, unit_cost) VALUES ($1, $2, $3, 1, 1)';
const COUNT_LINE =
  'INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty, adjustment_movement_id) VALUES ($1, $2, 1, $3)';

/** [foreign key, ON DELETE RESTRICT: deleting what it references (the fixture's ledger, level and count refer to it), a reference to add first or null]. */
const RESTRICTED: [string, Write, Write | null][] = [
  ['stock_movement_product_id_fkey', (f) => ['DELETE FROM catalog.product WHERE id = $1', [f.productId]], null],
  ['stock_level_warehouse_id_fkey', (f) => ['DELETE FROM catalog.warehouse WHERE id = $1', [f.warehouseId]], null],
  [
    'goods_receipt_supplier_id_fkey',
    (f) => ['DELETE FROM catalog.supplier WHERE id = $1', [f.supplierId]],
    (f) => [RECEIPT, [f.productId, f.warehouseId, f.supplierId]],
  ],
  ['stock_count_warehouse_id_fkey', (f) => ['DELETE FROM catalog.warehouse WHERE id = $1', [f.otherWarehouseId]], null],
];

describe('foreign keys', () => {
  it.each(DANGLING)('%s refuses a reference to nothing (23503)', async (constraint, write) => {
    await withRollback(async (client) => {
      const [sql, params] = write(await fixture(client));
      await expectSqlError(client, () => client.query(sql, params), '23503', constraint);
    });
  });

  it.each(RESTRICTED)('%s: ON DELETE RESTRICT refuses to delete what it references', async (constraint, write, setup) => {
    await withRollback(async (client) => {
      const f = await fixture(client);
      if (setup) await client.query(...setup(f));
      const [sql, params] = write(f);
      await expectSqlError(client, () => client.query(sql, params), await fkRestrictCode(client), constraint);
    });
  });

  it('stock_movement_warehouse_id_fkey keeps the ledger when its warehouse goes, even without a level', async () => {
    await withAdminRollback(async (client) => {
      const f = await fixture(client);
      // Remove the level as only an operator's ledger backfill may, leaving the movements the only reference.
      await client.query(`SET LOCAL supply_ledger.ledger_backfill = on`);
      await client.query('DELETE FROM inventory.stock_level WHERE warehouse_id = $1', [f.warehouseId]);
      await client.query(`SET LOCAL supply_ledger.ledger_backfill = off`);
      await expectSqlError(
        client,
        () => client.query('DELETE FROM catalog.warehouse WHERE id = $1', [f.warehouseId]),
        await fkRestrictCode(client),
        'stock_movement_warehouse_id_fkey',
      );
    });
  });

  it('stock_movement_reverses_movement_id_fkey and stock_movement_returns_movement_id_fkey back the ledger trigger, which checks first', async () => {
    const insert = (client: ClientTransaction, f: Fixture, column: string, type: string) =>
      client.query(
        `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, ${column}) VALUES ($1, $2, $3, 1, 1, $4)`,
        [type, f.productId, f.warehouseId, MISSING],
      );
    await withRollback(async (client) => {
      const f = await fixture(client);
      await expectSqlError(client, () => insert(client, f, 'reverses_movement_id', 'ISSUE'), '23514', 'stock_movement_reversal_check');
      await expectSqlError(
        client,
        () => insert(client, f, 'returns_movement_id', 'RETURN_FROM_CUSTOMER'),
        '23514',
        'stock_movement_return_check',
      );
    });
    // Without the trigger (this transaction only), the keys themselves refuse: disabling a trigger takes the table's owner.
    await withAdminRollback(async (client) => {
      const f = await fixture(client);
      await client.query('ALTER TABLE inventory.stock_movement DISABLE TRIGGER _100_apply_to_level');
      await expectSqlError(
        client,
        () => insert(client, f, 'reverses_movement_id', 'ISSUE'),
        '23503',
        'stock_movement_reverses_movement_id_fkey',
      );
      await expectSqlError(
        client,
        () => insert(client, f, 'returns_movement_id', 'RETURN_FROM_CUSTOMER'),
        '23503',
        'stock_movement_returns_movement_id_fkey',
      );
    });
  });

  it('ON DELETE CASCADE: an open count takes its lines with it', async () => {
    await withRollback(async (client) => {
      const f = await fixture(client);
      await client.query('INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES ($1, $2, 3)', [
        f.countId,
        f.productId,
      ]);
      await client.query('DELETE FROM inventory.stock_count WHERE id = $1', [f.countId]);
      expect(
        (await client.query('SELECT count(*)::int AS n FROM inventory.stock_count_line WHERE stock_count_id = $1', [f.countId])).rows[0].n,
      ).toBe(0);
    });
  });
});

describe('the ledger guards (tg_stock_level__guard_ledger_columns, tg_stock_count__freeze_when_posted)', () => {
  it('refuses to delete a stock level with ledger history, but not an empty one', async () => {
    await withRollback(async (client) => {
      const f = await fixture(client);
      await expectSqlError(
        client,
        () => client.query('DELETE FROM inventory.stock_level WHERE product_id = $1 AND warehouse_id = $2', [f.productId, f.warehouseId]),
        '23001',
      );
      await client.query('INSERT INTO inventory.stock_level (product_id, warehouse_id) VALUES ($1, $2)', [f.productId, f.otherWarehouseId]);
      expect(
        (
          await client.query('DELETE FROM inventory.stock_level WHERE product_id = $1 AND warehouse_id = $2', [
            f.productId,
            f.otherWarehouseId,
          ])
        ).rowCount,
      ).toBe(1);
    });
  });

  it('honours the backfill switch for operators only: the application role with it on is still refused', async () => {
    await withRollback(async (client) => {
      const f = await fixture(client);
      await client.query(`SET LOCAL supply_ledger.ledger_backfill = on`);
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_level SET qty_on_hand = qty_on_hand + 100 WHERE product_id = $1', [f.productId]),
        '23001',
      );
    });
    await withAdminRollback(async (client) => {
      const f = await fixture(client);
      await client.query(`SET LOCAL supply_ledger.ledger_backfill = on`);
      const { rowCount } = await client.query('UPDATE inventory.stock_level SET qty_on_hand = qty_on_hand + 100 WHERE product_id = $1', [
        f.productId,
      ]);
      expect(rowCount).toBeGreaterThan(0);
    });
  });

  it('keeps cost_price non-negative even for a ledger backfill (stock_level_cost_price_not_negative_check)', async () => {
    await withAdminRollback(async (client) => {
      const f = await fixture(client);
      await client.query(`SET LOCAL supply_ledger.ledger_backfill = on`);
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_level SET cost_price = -1 WHERE product_id = $1', [f.productId]),
        '23514',
        'stock_level_cost_price_not_negative_check',
      );
    });
  });

  it('freezes a posted count: no reopening, no deleting; and posted_at goes with POSTED (stock_count_posted_at_check)', async () => {
    await withRollback(async (client) => {
      const f = await fixture(client);
      await expectSqlError(
        client,
        () => client.query(`UPDATE inventory.stock_count SET status = 'POSTED' WHERE id = $1`, [f.countId]),
        '23514',
        'stock_count_posted_at_check',
      );
      await expectSqlError(
        client,
        () =>
          client.query(
            'INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty, unit_cost) VALUES ($1, $2, 1, -1)',
            [f.countId, f.productId],
          ),
        '23514',
        'stock_count_line_unit_cost_not_negative_check',
      );
      await client.query('SELECT inventory.post_stock_count($1)', [f.countId]);
      await expectSqlError(
        client,
        () => client.query(`UPDATE inventory.stock_count SET status = 'OPEN', posted_at = NULL WHERE id = $1`, [f.countId]),
        '23001',
      );
      await expectSqlError(client, () => client.query('DELETE FROM inventory.stock_count WHERE id = $1', [f.countId]), '23001');
    });
  });
});
