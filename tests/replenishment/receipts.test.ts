/**
 * Procurement and donation receipts through the ledger as an application uses them
 * (supply_ledger_app, client A): partial receipts, exactly once per receipt key, never above what
 * was ordered or confirmed, concurrent receipts, and v_inbound_stock counting only what is still due;
 * transfer receipts (receiveTransfer, replenishment.receive_transfer) once per receipt key and line.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { type ClientTransaction, withClient } from '../../src/db/tenancy.ts';
import { stockLevel } from '../../src/inventory/ledger.ts';
import { dispatchTransfer, receiveTransfer } from '../../src/replenishment/needs-list.ts';
import { receiveDonation, receiveProcurement } from '../../src/replenishment/receipts.ts';
import { pool, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { at, move, reliefWorld, type World } from './fixtures.ts';

/** An ORDERED procurement of 100 of the world's first product for its first warehouse, at 2.50 each. */
async function order(tx: pg.ClientBase, w: World, status = 'ORDERED'): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `WITH p AS (INSERT INTO replenishment.procurement (procurement_no, event_id, supplier_id, warehouse_id, status_code, ordered_at)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
     INSERT INTO replenishment.procurement_item (procurement_id, product_id, ordered_qty, unit_cost) SELECT id, $7, 100, 2.5 FROM p
     RETURNING procurement_id::text AS id`,
    [`PO-${w.event}-${status}`, w.event, w.supplier, w.warehouses[0], status, status === 'DRAFT' ? null : at(0), w.products[0]],
  );
  return rows[0]!.id;
}

/** A CONFIRMED donation of 30 of the world's first product (to its first warehouse unless a pool donation). */
async function donate(tx: pg.ClientBase, w: World, options: { pool?: boolean; status?: string } = {}): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `WITH d AS (INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
                VALUES ($1, $2, $3, 'donor', $4, $5) RETURNING id)
     INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) SELECT id, $6, 30 FROM d RETURNING donation_id::text AS id`,
    [
      `DN-${w.event}-${options.pool ? 'P' : 'W'}`,
      w.event,
      options.pool ? null : w.warehouses[0],
      options.status ?? 'CONFIRMED',
      at(24),
      w.products[0],
    ],
  );
  return rows[0]!.id;
}

async function inbound(db: pg.ClientBase | ReturnType<typeof pool>, sourceType: string, sourceId: string): Promise<string[]> {
  const { rows } = await db.query<{ quantity: string }>(
    `SELECT quantity::text FROM replenishment.v_inbound_stock WHERE source_type = $1 AND source_id = $2`,
    [sourceType, sourceId],
  );
  return rows.map((r) => r.quantity);
}

describe('procurement receipts (receiveProcurement, replenishment.receive_procurement)', () => {
  it('posts partial receipts to the ledger once per key, never above what was ordered, and the rest stays inbound', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const [home, product] = [w.warehouses[0]!, w.products[0]!];
      const po = await order(tx, w);
      const receipt = (quantity: string, receiptKey: string) =>
        receiveProcurement(tx, {
          procurementId: po,
          lines: [{ productId: product, quantity }],
          receiptKey,
          receivedBy: 'keeper',
          receivedAt: at(30),
        });
      expect(await receipt('40', 'GRN-1')).toEqual({ posted: 1, alreadyPosted: 0 });
      expect(await receipt('40', 'GRN-1')).toEqual({ posted: 0, alreadyPosted: 1 });
      expect((await stockLevel(tx, product, home))?.qtyOnHand).toBe('40.0000');
      expect(await inbound(tx, 'PROCUREMENT', po)).toEqual(['60.0000']);
      const { rows } = await tx.query(
        `SELECT m.movement_type, m.unit_cost::text, m.reference_type, p.status_code
           FROM inventory.stock_movement m, replenishment.procurement p WHERE m.idempotency_key = $1 AND p.id = $2`,
        [`relief-procurement:GRN-1:${product}`, po],
      );
      expect(rows).toEqual([
        { movement_type: 'RECEIPT', unit_cost: '2.500000', reference_type: 'PURCHASE_ORDER', status_code: 'PARTIAL_RECEIVED' },
      ]);
      await expect(receipt('61', 'GRN-2')).rejects.toMatchObject({
        name: 'ReliefReceiptError',
        document: 'procurement',
        reason: 'over-receipt',
        quantity: '61',
      });
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const po = await order(tx, w);
      await receiveProcurement(tx, {
        procurementId: po,
        lines: [{ productId: w.products[0]!, quantity: '100' }],
        receiptKey: 'GRN-ALL',
        receivedBy: 'k',
      });
      const { rows } = await tx.query('SELECT status_code FROM replenishment.procurement WHERE id = $1', [po]);
      expect(rows).toEqual([{ status_code: 'RECEIVED' }]);
      expect(await inbound(tx, 'PROCUREMENT', po)).toEqual([]);
    });
  });

  it('refuses a procurement not on order, a product it does not list, and one that does not exist', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 2 });
      const draft = await order(tx, w, 'DRAFT');
      const receipt = (procurementId: string, productId: string) =>
        receiveProcurement(tx, {
          procurementId,
          lines: [{ productId, quantity: '1' }],
          receiptKey: `GRN-${procurementId}`,
          receivedBy: 'k',
        });
      await expect(receipt(draft, w.products[0]!)).rejects.toMatchObject({ name: 'ReliefReceiptError', reason: 'not-open' });
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 2 });
      const po = await order(tx, w);
      await expect(
        receiveProcurement(tx, {
          procurementId: po,
          lines: [{ productId: w.products[1]!, quantity: '1' }],
          receiptKey: 'GRN-X',
          receivedBy: 'k',
        }),
      ).rejects.toMatchObject({ name: 'ReliefReceiptError', reason: 'no-such-line' });
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      await expect(
        receiveProcurement(tx, {
          procurementId: '0',
          lines: [{ productId: w.products[0]!, quantity: '1' }],
          receiptKey: 'GRN-0',
          receivedBy: 'k',
        }),
      ).rejects.toMatchObject({ name: 'ReliefReceiptError', reason: 'no-such-document' });
    });
  });

  it('two receipts at once: never more than ordered, and the same receipt twice posts once', async () => {
    const db = pool();
    const { w, po } = await withClient(db, TEST_CLIENTS.A.id, async (tx) => {
      const world = await reliefWorld(tx, { warehouses: 1 });
      // Committed: its product is no relief item, or every needs list of the client would list it.
      await tx.query('UPDATE replenishment.item_setting SET is_active = false WHERE product_id = $1', [world.products[0]]);
      return { w: world, po: await order(tx, world) };
    });
    const [home, product] = [w.warehouses[0]!, w.products[0]!];
    const receive = (quantity: string, receiptKey: string) =>
      withClient(db, TEST_CLIENTS.A.id, (tx) =>
        receiveProcurement(tx, { procurementId: po, lines: [{ productId: product, quantity }], receiptKey, receivedBy: 'keeper' }),
      );
    // 60 and 60 of 100, different receipts: one is taken, the other refused.
    const outcomes = await Promise.allSettled([receive('60', `${po}-A`), receive('60', `${po}-B`)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { name: 'ReliefReceiptError', reason: 'over-receipt' } });
    // The same receipt of 30 twice at once: posted by one, found already posted by the other.
    const same = await Promise.all([receive('30', `${po}-C`), receive('30', `${po}-C`)]);
    expect(same.map((r) => r.posted).sort()).toEqual([0, 1]);
    expect((await stockLevel(db, product, home))?.qtyOnHand).toBe('90.0000');
    expect(await inbound(db, 'PROCUREMENT', po)).toEqual(['10.0000']);
  });
});

describe('donation receipts (receiveDonation, replenishment.receive_donation)', () => {
  it('posts a confirmed donation at cost 0 to its intake warehouse, once, and it leaves v_inbound_stock when all is received', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const [home, product] = [w.warehouses[0]!, w.products[0]!];
      const donation = await donate(tx, w);
      const receipt = (quantity: string, receiptKey: string) =>
        receiveDonation(tx, { donationId: donation, lines: [{ productId: product, quantity }], receiptKey, receivedBy: 'keeper' });
      await receipt('10', 'DR-1');
      expect(await receipt('10', 'DR-1')).toEqual({ posted: 0, alreadyPosted: 1 });
      expect((await stockLevel(tx, product, home))?.qtyOnHand).toBe('10.0000');
      expect(await inbound(tx, 'DONATION', donation)).toEqual(['20.0000']);
      await expect(receipt('21', 'DR-2')).rejects.toMatchObject({
        name: 'ReliefReceiptError',
        document: 'donation',
        reason: 'over-receipt',
      });
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const [home, product] = [w.warehouses[0]!, w.products[0]!];
      const donation = await donate(tx, w);
      expect(
        await receiveDonation(tx, {
          donationId: donation,
          lines: [{ productId: product, quantity: '30' }],
          receiptKey: 'DR-ALL',
          receivedBy: 'k',
        }),
      ).toEqual({ posted: 1, alreadyPosted: 0 });
      expect((await stockLevel(tx, product, home))?.qtyOnHand).toBe('30.0000');
      const { rows } = await tx.query(
        `SELECT d.status, m.unit_cost::text FROM replenishment.donation d, inventory.stock_movement m WHERE d.id = $1 AND m.idempotency_key = $2`,
        [donation, `relief-donation:DR-ALL:${product}`],
      );
      expect(rows).toEqual([{ status: 'RECEIVED', unit_cost: '0.000000' }]);
      expect(await inbound(tx, 'DONATION', donation)).toEqual([]);
    });
  });

  it('a pool donation is received where the receipt says, not without a warehouse; a pledged one not at all', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      const donation = await donate(tx, w, { pool: true });
      const receipt = (warehouseId?: string) =>
        receiveDonation(tx, {
          donationId: donation,
          warehouseId,
          lines: [{ productId: w.products[0]!, quantity: '5' }],
          receiptKey: 'DR-P',
          receivedBy: 'k',
        });
      await expect(receipt()).rejects.toMatchObject({ name: 'ReliefReceiptError', reason: 'no-warehouse' });
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      const donation = await donate(tx, w, { pool: true });
      await receiveDonation(tx, {
        donationId: donation,
        warehouseId: w.warehouses[1],
        lines: [{ productId: w.products[0]!, quantity: '5' }],
        receiptKey: 'DR-P',
        receivedBy: 'k',
      });
      expect((await stockLevel(tx, w.products[0]!, w.warehouses[1]!))?.qtyOnHand).toBe('5.0000');
    });
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const donation = await donate(tx, w, { status: 'PLEDGED' });
      await expect(
        receiveDonation(tx, {
          donationId: donation,
          lines: [{ productId: w.products[0]!, quantity: '5' }],
          receiptKey: 'DR-X',
          receivedBy: 'k',
        }),
      ).rejects.toMatchObject({ name: 'ReliefReceiptError', reason: 'not-open' });
    });
  });
});

/** A transfer of 10 of each of the world's two products from its first warehouse to its second, dispatched through its third. */
async function dispatched(tx: ClientTransaction, w: World): Promise<string> {
  const [from, to, transit] = w.warehouses as [string, string, string];
  for (const product of w.products) await move(tx, 'RECEIPT', product, from, 10, at(-5));
  const { rows } = await tx.query<{ id: string }>(
    `WITH t AS (INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id) VALUES ($1, $2, $3, $4) RETURNING id)
     INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity) SELECT t.id, p, 10 FROM t, unnest($5::bigint[]) p
     RETURNING transfer_id::text AS id`,
    [`TR-${w.event}`, w.event, from, to, w.products],
  );
  await dispatchTransfer(tx, { transferId: rows[0]!.id, transitWarehouseId: transit, dispatchedBy: 'driver', dispatchedAt: at(0) });
  return rows[0]!.id;
}

describe('transfer receipts (receiveTransfer, replenishment.receive_transfer)', () => {
  it('takes each line once per receipt key: the same key with another line takes only that line', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 3, products: 2 });
      const [to, transit] = [w.warehouses[1]!, w.warehouses[2]!];
      const [a, b] = w.products as [string, string];
      const transfer = await dispatched(tx, w);
      const receipt = (lines: { productId: string; quantity: string }[]) =>
        receiveTransfer(tx, { transferId: transfer, lines, receiptKey: 'GRN-T', receivedBy: 'keeper', receivedAt: at(9) });
      expect(await receipt([{ productId: a, quantity: '4' }])).toEqual({ posted: 1, alreadyPosted: 0, complete: false });
      // The key again, with the line it took (another quantity changes nothing: the key names the line's receipt) and a new one.
      expect(
        await receipt([
          { productId: a, quantity: '6' },
          { productId: b, quantity: '10' },
        ]),
      ).toEqual({ posted: 1, alreadyPosted: 1, complete: false });
      expect((await stockLevel(tx, a, to))?.qtyOnHand).toBe('4.0000');
      expect((await stockLevel(tx, b, to))?.qtyOnHand).toBe('10.0000');
      expect((await stockLevel(tx, a, transit))?.qtyOnHand).toBe('6.0000');
      const { rows } = await tx.query(
        `SELECT m.movement_type, m.warehouse_id::text, m.quantity::text, m.occurred_at, m.reference_id
           FROM inventory.stock_movement m WHERE m.idempotency_key LIKE 'relief-receipt:GRN-T:' || $1 || ':%' ORDER BY m.id`,
        [a],
      );
      expect(rows).toEqual([
        {
          movement_type: 'TRANSFER_OUT',
          warehouse_id: transit,
          quantity: '-4.0000',
          occurred_at: at(9),
          reference_id: `relief-transfer:${transfer}`,
        },
        {
          movement_type: 'TRANSFER_IN',
          warehouse_id: to,
          quantity: '4.0000',
          occurred_at: at(9),
          reference_id: `relief-transfer:${transfer}`,
        },
      ]);
      expect(
        await receiveTransfer(tx, {
          transferId: transfer,
          lines: [{ productId: a, quantity: '6' }],
          receiptKey: 'GRN-T2',
          receivedBy: 'k2',
          receivedAt: at(10),
        }),
      ).toEqual({ posted: 1, alreadyPosted: 0, complete: true });
      const { rows: done } = await tx.query('SELECT status, received_by, received_at FROM replenishment.transfer WHERE id = $1', [
        transfer,
      ]);
      expect(done).toEqual([{ status: 'RECEIVED', received_by: 'k2', received_at: at(10) }]);
      // A received transfer's receipt posted again is recognised, not refused.
      expect(await receipt([{ productId: b, quantity: '10' }])).toEqual({ posted: 0, alreadyPosted: 1, complete: true });
    });
  });

  it('refuses by rule: no such transfer, one not in transit, a product it does not carry, more than was dispatched', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 3, products: 2 });
      const transfer = await dispatched(tx, w);
      const [a] = w.products as [string, string];
      const receive = (transferId: string, productId: string, quantity: string, key: string) =>
        tx.query('SELECT replenishment.receive_transfer($1, $2, $3, $4, $5, $6)', [transferId, productId, quantity, key, at(9), 'k']);
      await expectSqlError(tx, () => receive('-1', a, '1', 'R1'), 'P0002', 'transfer_receipt_document');
      // A product the transfer does not carry (a warehouse's id stood in for one, and could equal a carried product's id).
      const { rows: other } = await tx.query<{ id: string }>(
        `INSERT INTO catalog.product (sku, name) VALUES ('NOT-CARRIED', 'Not carried') RETURNING id::text`,
      );
      await expectSqlError(tx, () => receive(transfer, other[0]!.id, '1', 'R2'), 'P0002', 'transfer_receipt_line');
      await expectSqlError(tx, () => receive(transfer, a, '11', 'R3'), '23514', 'transfer_receipt_within_dispatched');
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id) VALUES ('TR-DRAFT', $1, $2, $3) RETURNING id::text`,
        [w.event, w.warehouses[0], w.warehouses[1]],
      );
      await expectSqlError(tx, () => receive(rows[0]!.id, a, '1', 'R4'), '23514', 'transfer_receipt_in_transit');
      await expect(
        receiveTransfer(tx, { transferId: transfer, lines: [{ productId: a, quantity: '11' }], receiptKey: 'R5', receivedBy: 'k' }),
      ).rejects.toMatchObject({ name: 'TransferReceiptError', reason: 'over-receipt', productId: a });
    });
  });
});
