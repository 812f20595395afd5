/**
 * Procurement and donation receipts through the ledger as an application uses them
 * (supply_ledger_app, client A): partial receipts, exactly once per receipt key, never above what
 * was ordered or confirmed, concurrent receipts, and v_inbound_stock counting only what is still due.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { withClient } from '../../src/db/tenancy.ts';
import { stockLevel } from '../../src/inventory/ledger.ts';
import { receiveDonation, receiveProcurement } from '../../src/replenishment/receipts.ts';
import { pool, withRollback } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { at, reliefWorld, type World } from './fixtures.ts';

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
