import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type ClientScoped, withClient } from '../../src/db/tenancy.ts';
import { type MovementInput, postMovement, postTransfer, stockLevel } from '../../src/inventory/ledger.ts';
import { pool, withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { catalogFixture, uniqueSuffix } from './fixtures.ts';

type Fixture = Awaited<ReturnType<typeof catalogFixture>>;

/** Posts in the fixture's first warehouse unless told otherwise. */
function post(
  client: ClientScoped,
  f: Fixture,
  input: Omit<MovementInput, 'productId' | 'warehouseId'> & { warehouseId?: string | undefined },
) {
  return postMovement(client, { productId: f.productId, warehouseId: f.warehouseId, ...input });
}

describe('the weighted-average cost trigger (tg_stock_movement__apply_to_level)', () => {
  it('the seed check: a RECEIPT of 10 at 50.00 sets cost price 50 and value 500', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const receipt = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: '50.00' });
      expect(receipt).toMatchObject({
        qtyAfter: '10.0000',
        avgCostAfter: '50.000000',
        valueAfter: '500.0000',
        valueDelta: '500.0000',
        levelSequence: '1',
      });
      expect(await stockLevel(client, f.productId, f.warehouseId)).toMatchObject({
        qtyOnHand: '10.0000',
        costPrice: '50.000000',
        costMethod: 'WEIGHTED_AVERAGE',
        totalValue: '500.0000',
        movementCount: '1',
      });
    });
  });

  it('blends receipts, values issues at the average without changing it, and restarts from an empty level', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 50 });
      expect(await post(client, f, { type: 'RECEIPT', quantity: 30, unitCost: 70 })).toMatchObject({
        avgCostAfter: '65.000000',
        valueAfter: '2600.0000',
      });
      expect(await post(client, f, { type: 'ISSUE', quantity: -40 })).toMatchObject({
        unitCost: '65.000000',
        avgCostAfter: '65.000000',
        qtyAfter: '0.0000',
        valueDelta: '-2600.0000',
        valueAfter: '0.0000',
      });
      expect(await post(client, f, { type: 'RECEIPT', quantity: 1, unitCost: 9 })).toMatchObject({
        avgCostAfter: '9.000000',
        levelSequence: '4',
      });
    });
  });

  it('rounds the average half up at 6 decimals, exactly', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 3, unitCost: 1 });
      // (3 x 1 + 1 x 2) / 4 = 1.25; (4 x 1.25 + 2 x 0.000001) / 6 = 0.8333336666... -> 0.833334
      await post(client, f, { type: 'RECEIPT', quantity: 1, unitCost: 2 });
      expect(await post(client, f, { type: 'RECEIPT', quantity: 2, unitCost: '0.000001' })).toMatchObject({
        avgCostAfter: '0.833334',
        valueAfter: '5.0000',
      });
    });
  });

  it('takes a customer return back at the cost it left with, and a return to supplier out at the cost it came in', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const receipt = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 40 });
      const issue = await post(client, f, { type: 'ISSUE', quantity: -5 });
      await post(client, f, { type: 'RECEIPT', quantity: 5, unitCost: 60 });
      // 10 at 50 on hand; the return came out at 40.
      expect(await post(client, f, { type: 'RETURN_FROM_CUSTOMER', quantity: 2, returnsMovementId: issue.id })).toMatchObject({
        unitCost: '40.000000',
        avgCostAfter: '48.333333',
      });
      // 12 at 48.333333 (579.9996); 2 go back to the supplier at 40: (579.999996 - 80) / 10.
      expect(await post(client, f, { type: 'RETURN_TO_SUPPLIER', quantity: -2, returnsMovementId: receipt.id })).toMatchObject({
        unitCost: '40.000000',
        qtyAfter: '10.0000',
        avgCostAfter: '50.000000',
      });
    });
  });

  it('moves a transfer at the cost it left the source with, and conserves value', async () => {
    // Committed, so that the ledger's check that transfers balance (at commit) runs too.
    await withClient(pool(), TEST_CLIENTS.A.id, async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 4, unitCost: 10 });
      await post(client, f, { type: 'RECEIPT', quantity: 6, unitCost: 20, warehouseId: f.otherWarehouseId });
      const moved = await postTransfer(client, {
        productId: f.productId,
        fromWarehouseId: f.warehouseId,
        toWarehouseId: f.otherWarehouseId,
        quantity: 2,
        transferId: randomUUID(),
      });
      expect(moved.out).toMatchObject({ unitCost: '10.000000', valueDelta: '-20.0000' });
      expect(moved.in).toMatchObject({ unitCost: '10.000000', valueDelta: '20.0000', avgCostAfter: '17.500000', valueAfter: '140.0000' });

      // With an idempotency key, the same transfer posted again moves nothing more.
      const keyed = {
        productId: f.productId,
        fromWarehouseId: f.warehouseId,
        toWarehouseId: f.otherWarehouseId,
        quantity: 1,
        idempotencyKey: `tr-${f.productId}`,
      };
      const first = await postTransfer(client, { ...keyed, transferId: randomUUID() });
      const again = await postTransfer(client, { ...keyed, transferId: randomUUID() });
      expect([first.out.created, first.in.created, again.out.created, again.in.created]).toEqual([true, true, false, false]);
      expect([again.out.id, again.in.id]).toEqual([first.out.id, first.in.id]);
      expect(await stockLevel(client, f.productId, f.warehouseId)).toMatchObject({ qtyOnHand: '1.0000' });
    });
  });

  it('cancels a movement with a reversal at its original cost, once', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      const wrong = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 30 });
      expect(await post(client, f, { type: 'RECEIPT', quantity: -10, reversesMovementId: wrong.id })).toMatchObject({
        unitCost: '30.000000',
        qtyAfter: '10.0000',
        avgCostAfter: '10.000000',
      });
      await expectSqlError(
        client,
        () => post(client, f, { type: 'RECEIPT', quantity: -10, reversesMovementId: wrong.id }),
        '23505',
        'stock_movement_client_id_reverses_movement_id_key',
      );
      await expectSqlError(
        client,
        () => post(client, f, { type: 'RECEIPT', quantity: -5, reversesMovementId: '1' }),
        '23514',
        'stock_movement_reversal_check',
      );
    });
  });

  it('posts an idempotency key once, also when the key comes back', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const first = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 5, idempotencyKey: 'grn-77' });
      const again = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 5, idempotencyKey: 'grn-77' });
      expect(again).toEqual({ ...first, created: false });
      expect(first.created).toBe(true);
      expect(await stockLevel(client, f.productId, f.warehouseId)).toMatchObject({ qtyOnHand: '10.0000', movementCount: '1' });
    });
  });
});

describe('ledger rules, each broken on purpose', () => {
  it.each([
    ['a zero quantity', { type: 'RECEIPT', quantity: 0, unitCost: 1 }, '23514', 'stock_movement_quantity_nonzero_check'],
    ['a receipt with a negative quantity', { type: 'RECEIPT', quantity: -1 }, '23514', 'stock_movement_sign_check'],
    ['an issue with a positive quantity', { type: 'ISSUE', quantity: 1, unitCost: 1 }, '23514', 'stock_movement_sign_check'],
    ['a receipt without a cost', { type: 'RECEIPT', quantity: 1 }, '23514', 'stock_movement_inbound_cost_check'],
    [
      'a receipt at a negative cost',
      { type: 'RECEIPT', quantity: 1, unitCost: -1 },
      '23514',
      'stock_movement_unit_cost_not_negative_check',
    ],
    ['a transfer without its transfer id', { type: 'TRANSFER_OUT', quantity: -1 }, '23514', 'stock_movement_transfer_check'],
    [
      'a receipt carrying a transfer id',
      { type: 'RECEIPT', quantity: 1, unitCost: 1, transferId: randomUUID() },
      '23514',
      'stock_movement_transfer_check',
    ],
    [
      'a transfer in before its out',
      { type: 'TRANSFER_IN', quantity: 1, transferId: randomUUID() },
      '23514',
      'stock_movement_transfer_balanced',
    ],
    ['taking more than is on hand', { type: 'ISSUE', quantity: -11 }, '23514', 'stock_level_on_hand_not_negative_check'],
  ] as const)('refuses %s', async (_what, input, code, constraint) => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      await expectSqlError(client, () => post(client, f, input), code, constraint);
      expect(await stockLevel(client, f.productId, f.warehouseId)).toMatchObject({ qtyOnHand: '10.0000', movementCount: '1' });
    });
  });

  it('refuses a return that does not point at a return', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const receipt = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      await expectSqlError(
        client,
        () => post(client, f, { type: 'ISSUE', quantity: -1, returnsMovementId: receipt.id }),
        '23514',
        'stock_movement_return_check',
      );
      await expectSqlError(
        client,
        () => post(client, f, { type: 'RETURN_FROM_CUSTOMER', quantity: 1, returnsMovementId: receipt.id }),
        '23514',
        'stock_movement_return_check',
      );
    });
  });

  it('refuses, at commit, a transfer whose two halves do not balance (_500_transfer_balanced: tg_stock_movement__check_transfer)', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      await post(client, f, { type: 'TRANSFER_OUT', quantity: -3, transferId: randomUUID() });
      await expectSqlError(client, () => client.query('SET CONSTRAINTS ALL IMMEDIATE'), '23514', 'stock_movement_transfer_balanced');
    });
  });

  it('refuses to change or remove ledger rows in any way (tg_stock_movement__forbid_change)', async () => {
    const attempts = (id: string): [string, unknown[]][] => [
      ['UPDATE inventory.stock_movement SET quantity = 11 WHERE id = $1', [id]],
      ['DELETE FROM inventory.stock_movement WHERE id = $1', [id]],
      ['TRUNCATE inventory.stock_movement CASCADE', []],
    ];
    // The application role may only read and append: it is refused each of them outright.
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const receipt = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      for (const [sql, params] of attempts(receipt.id)) await expectSqlError(client, () => client.query(sql, params), '42501');
    });
    // As the superuser, whom no privilege stops: the trigger refuses.
    await withAdminRollback(async (client) => {
      const f = await catalogFixture(client);
      const receipt = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      for (const [sql, params] of attempts(receipt.id)) await expectSqlError(client, () => client.query(sql, params), '23001');
    });
  });

  it('keeps on-hand and cost for the ledger alone, but lets reservations change directly', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      const where = [f.productId, f.warehouseId];
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_level SET qty_on_hand = 99 WHERE product_id = $1 AND warehouse_id = $2', where),
        '23001',
      );
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_level SET cost_price = 1 WHERE product_id = $1 AND warehouse_id = $2', where),
        '23001',
      );
      await expectSqlError(
        client,
        () =>
          client.query('INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand) VALUES ($1, $2, 5)', [
            f.productId,
            f.otherWarehouseId,
          ]),
        '23001',
      );
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_level SET qty_reserved = -1 WHERE product_id = $1 AND warehouse_id = $2', where),
        '23514',
        'stock_level_reserved_not_negative_check',
      );
      await client.query(
        `UPDATE inventory.stock_level SET qty_reserved = 3, updated_at = '2000-01-01' WHERE product_id = $1 AND warehouse_id = $2`,
        where,
      );
      const { rows } = await client.query(
        'SELECT qty_reserved::text, updated_at > $3 AS stamped FROM inventory.stock_level WHERE product_id = $1 AND warehouse_id = $2',
        [...where, '2000-01-02'],
      );
      expect(rows[0]).toEqual({ qty_reserved: '3.0000', stamped: true });
    });
  });

  it('keeps history when products, warehouses and brands go, and lets levels go with their product', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      const restrict = await fkRestrictCode(client);
      await expectSqlError(
        client,
        () => client.query('DELETE FROM catalog.product WHERE id = $1', [f.productId]),
        restrict,
        'stock_movement_product_id_fkey',
      );
      await expectSqlError(client, () => client.query('DELETE FROM catalog.warehouse WHERE id = $1', [f.warehouseId]), restrict);
      await expectSqlError(client, () => post(client, { ...f, productId: '-1' }, { type: 'RECEIPT', quantity: 1, unitCost: 1 }), '23503');

      const { rows: brand } = await client.query(`INSERT INTO catalog.brand (name) VALUES ('Probe Brand') RETURNING id`);
      await client.query('UPDATE catalog.product SET brand_id = $1 WHERE id = $2', [brand[0].id, f.productId]);
      await expectSqlError(
        client,
        () => client.query('DELETE FROM catalog.brand WHERE id = $1', [brand[0].id]),
        restrict,
        'product_brand_id_fkey',
      );
      await expectSqlError(
        client,
        () => client.query(`INSERT INTO catalog.brand (name) VALUES ('PROBE BRAND')`),
        '23505',
        'brand_client_id_name_key',
      );

      // A product that never moved takes its (empty) levels with it.
      const other = await catalogFixture(client);
      await client.query('UPDATE inventory.stock_level SET qty_reserved = 0 WHERE product_id = $1', [other.productId]);
      await client.query('INSERT INTO inventory.stock_level (product_id, warehouse_id) VALUES ($1, $2)', [
        other.productId,
        other.warehouseId,
      ]);
      await client.query('DELETE FROM catalog.product WHERE id = $1', [other.productId]);
      expect(
        (await client.query('SELECT count(*)::int AS n FROM inventory.stock_level WHERE product_id = $1', [other.productId])).rows[0].n,
      ).toBe(0);
    });
  });
});

describe('stock counts', () => {
  it('post only the differences as adjustments, once, and freeze the count (tg_stock_count_line__freeze_when_posted)', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const g = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 4 });
      const { rows } = await client.query('INSERT INTO inventory.stock_count (warehouse_id) VALUES ($1) RETURNING id', [f.warehouseId]);
      const countId = rows[0].id;
      await client.query('INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES ($1, $2, 8)', [
        countId,
        f.productId,
      ]);
      await client.query('INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES ($1, $2, 0)', [
        countId,
        g.productId,
      ]);
      expect((await client.query('SELECT inventory.post_stock_count($1) AS posted', [countId])).rows[0].posted).toBe(1);

      const { rows: lines } = await client.query(
        `SELECT l.system_qty::text, m.movement_type, m.quantity::text, m.unit_cost::text, m.reference_type, m.reference_id
           FROM inventory.stock_count_line l LEFT JOIN inventory.stock_movement m ON m.id = l.adjustment_movement_id
          WHERE l.stock_count_id = $1 ORDER BY l.product_id`,
        [countId],
      );
      expect(lines).toEqual([
        {
          system_qty: '10.0000',
          movement_type: 'ADJUSTMENT_OUT',
          quantity: '-2.0000',
          unit_cost: '4.000000',
          reference_type: 'STOCK_COUNT',
          reference_id: String(countId),
        },
        { system_qty: '0.0000', movement_type: null, quantity: null, unit_cost: null, reference_type: null, reference_id: null },
      ]);
      await expectSqlError(client, () => client.query('SELECT inventory.post_stock_count($1)', [countId]), '23001');
      await expectSqlError(
        client,
        () => client.query('UPDATE inventory.stock_count_line SET counted_qty = 9 WHERE stock_count_id = $1', [countId]),
        '23001',
      );
    });
  });

  it('refuse a counted gain that has no cost to enter at, and a negative count', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const { rows } = await client.query('INSERT INTO inventory.stock_count (warehouse_id) VALUES ($1) RETURNING id', [f.warehouseId]);
      await expectSqlError(
        client,
        () =>
          client.query('INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES ($1, $2, -1)', [
            rows[0].id,
            f.productId,
          ]),
        '23514',
        'stock_count_line_counted_qty_not_negative_check',
      );
      await client.query('INSERT INTO inventory.stock_count_line (stock_count_id, product_id, counted_qty) VALUES ($1, $2, 5)', [
        rows[0].id,
        f.productId,
      ]);
      await expectSqlError(
        client,
        () => client.query('SELECT inventory.post_stock_count($1)', [rows[0].id]),
        '23514',
        'stock_movement_inbound_cost_check',
      );
    });
  });
});

describe('goods receipts', () => {
  it('refuses goods receipts of nothing or at a negative cost', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const insert = (quantity: number, cost: number) =>
        client.query('INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost) VALUES ($1, $2, $3, $4)', [
          f.productId,
          f.warehouseId,
          quantity,
          cost,
        ]);
      await expectSqlError(client, () => insert(0, 1), '23514', 'goods_receipt_quantity_positive_check');
      await expectSqlError(client, () => insert(1, -1), '23514', 'goods_receipt_unit_cost_not_negative_check');
    });
  });
});

describe('two clients in one ledger', () => {
  it('may use the same SKU, warehouse codes and idempotency key, which stay unique within each', async () => {
    const suffix = uniqueSuffix();
    await withRollback(async (client) => {
      const f = await catalogFixture(client, suffix);
      const first = await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 5, idempotencyKey: `grn-${suffix}` });
      // B's rows while A's are uncommitted: a key not led by client_id would make B wait for A (hence the lock timeout) or refuse B.
      const theirs = await withClient(
        pool(TEST_CLIENTS.B),
        TEST_CLIENTS.B.id,
        async (other) => {
          const g = await catalogFixture(other, suffix);
          return post(other, g, { type: 'RECEIPT', quantity: 3, unitCost: 7, idempotencyKey: `grn-${suffix}` });
        },
        { rollback: true, lockTimeoutMs: 2_000 },
      );
      expect(theirs).toMatchObject({ created: true, qtyAfter: '3.0000', avgCostAfter: '7.000000' });
      await expectSqlError(client, () => catalogFixture(client, suffix), '23505', 'product_client_id_sku_key');
      expect(await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 5, idempotencyKey: `grn-${suffix}` })).toEqual({
        ...first,
        created: false,
      });
    });
  });

  it("refuses a transfer into another client's warehouse (the composite foreign key)", async () => {
    // Committed, so that a key naming the warehouse alone would find it.
    const theirs = await catalogFixture(pool(TEST_CLIENTS.B));
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await post(client, f, { type: 'RECEIPT', quantity: 10, unitCost: 10 });
      await expectSqlError(
        client,
        () =>
          postTransfer(client, {
            productId: f.productId,
            fromWarehouseId: f.warehouseId,
            toWarehouseId: theirs.warehouseId,
            quantity: 4,
            transferId: randomUUID(),
          }),
        '23503',
        'stock_level_warehouse_id_fkey',
      );
      expect(await stockLevel(client, f.productId, f.warehouseId)).toMatchObject({ qtyOnHand: '10.0000', movementCount: '1' });
    });
  });
});
