/**
 * Needs lists, freshness, sources and transfers as an application uses them (supply_ledger_app,
 * client A): a stockout does not lower the burn rate, a silent warehouse reads OFFLINE without a
 * write, inbound after the projected stockout does not reduce the gap, sources in order, two lists
 * computed at once claim no stock twice, a transfer is received exactly once.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { withClient } from '../../src/db/tenancy.ts';
import { stockLevel } from '../../src/inventory/ledger.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { UnknownReliefObjectError } from '../../src/replenishment/errors.ts';
import { computeEventNeedsLists } from '../../src/replenishment/event-lists.ts';
import { computeNeedsList, dispatchTransfer, needsList, receiveTransfer } from '../../src/replenishment/needs-list.ts';
import { inboundStock, stockStatus } from '../../src/replenishment/views.ts';
import { adminPool, pool, withRollback } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { at, move, reliefWorld, type World } from './fixtures.ts';

/** The world's event in a SURGE since long before T0 (6 h demand window, 72 h planning, +50 %, fresh 2 h, stale 6 h). */
async function surge(tx: pg.ClientBase, w: World): Promise<void> {
  await tx.query(`UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = $2 WHERE id = $1`, [w.event, at(-500)]);
  await tx.query('UPDATE replenishment.warehouse_setting SET last_observed_at = $2, last_synced_at = $2 WHERE warehouse_id = ANY($1)', [
    w.warehouses,
    at(-1),
  ]);
}

/**
 * A SURGE world of `warehouses` warehouses in which the first product burns 5 an hour with a minimum
 * of 20 and only the third warehouse holds any (100): 80 of surplus, which every other list needs.
 */
async function surplusWorld(tx: pg.ClientBase, warehouses: number): Promise<World> {
  const world = await reliefWorld(tx, { warehouses });
  await surge(tx, world);
  await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 5, min_stock_threshold = 20 WHERE product_id = $1', [
    world.products[0],
  ]);
  await move(tx, 'RECEIPT', world.products[0]!, world.warehouses[2]!, 100, at(-50));
  return world;
}

describe('burn rates (kept on the needs-list lines)', () => {
  it('a stockout during the demand window does not lower the burn rate: issues are divided by the hours in stock', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2, products: 2 });
      await surge(tx, w);
      const [steady, short] = [w.products[0]!, w.products[1]!];
      const home = w.warehouses[0]!;
      await move(tx, 'RECEIPT', steady, home, 100, at(-10));
      for (const h of [-5, -4, -3]) await move(tx, 'ISSUE', steady, home, 10, at(h));
      await move(tx, 'RECEIPT', short, home, 20, at(-10));
      for (const h of [-5, -4]) await move(tx, 'ISSUE', short, home, 10, at(h));
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0), actor: 'planner' });
      const { rows } = await tx.query(
        `SELECT product_id::text, issued_qty::text, stockout_hours::text, burn_rate::text, burn_rate_method AS method FROM replenishment.needs_list_item
          WHERE needs_list_id = $1 ORDER BY product_id`,
        [list.id],
      );
      expect(rows).toEqual([
        { product_id: steady, issued_qty: '30.0000', stockout_hours: '0.0000', burn_rate: '5.0000', method: 'OBSERVED' },
        // 20 issued over the 2 hours it had stock, not over 6: 10 an hour, not 3.33.
        { product_id: short, issued_qty: '20.0000', stockout_hours: '4.0000', burn_rate: '10.0000', method: 'STOCKOUT_ADJUSTED' },
      ]);
      // Both lines have a gap: each has its burn_rate_snapshot (record_burn_rate_snapshots), the line's figures over the list's window.
      const { rows: snapshots } = await tx.query(
        `SELECT product_id::text, issued_qty::text, stockout_hours::text, burn_rate::text, method, phase, window_start, window_end, calculated_at,
                event_id::text, warehouse_id::text
           FROM replenishment.burn_rate_snapshot WHERE needs_list_id = $1 ORDER BY product_id`,
        [list.id],
      );
      expect(snapshots).toEqual(
        rows.map((row) => ({
          ...row,
          phase: 'SURGE',
          window_start: at(-6),
          window_end: at(0),
          calculated_at: at(0),
          event_id: w.event,
          warehouse_id: home,
        })),
      );
      expect(list).toMatchObject({
        eventPhase: 'SURGE',
        demandWindowHours: 6,
        planningWindowHours: 72,
        safetyFactor: '1.500000',
        dataFreshnessLevel: 'HIGH',
      });
      // required = 10/h x 72 h x 1.5; nothing available or inbound.
      expect(list.items.find((item) => item.productId === short)).toMatchObject({
        requiredQty: '1080.0000',
        gapQty: '1080.0000',
        availableQty: '0.0000',
      });
    });
  });

  it('stocked out for the whole window: the baseline rate, not zero', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      await surge(tx, w);
      await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 3 WHERE product_id = $1', [w.products[0]]);
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[0]!, at: at(0) });
      expect(list.items).toMatchObject([
        { burnRate: '3.0000', burnRateMethod: 'BASELINE_FALLBACK', requiredQty: '324.0000', hoursToStockout: '0.0000' },
      ]);
    });
  });

  it('tg_needs_list_item__record_burn_rate_snapshots: a snapshot for each new line with a gap, none for a line without one', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 2 });
      await surge(tx, w);
      const [short, stocked] = [w.products[0]!, w.products[1]!];
      const home = w.warehouses[0]!;
      await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 3 WHERE product_id = $1', [short]);
      // 6 issued over the window from 10,000: 1 an hour, 108 required, no gap.
      await move(tx, 'RECEIPT', stocked, home, 10_000, at(-10));
      await move(tx, 'ISSUE', stocked, home, 6, at(-3));
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0) });
      expect(list.items.map((item) => [item.productId, Number(item.gapQty) > 0])).toEqual(
        [
          [short, true],
          [stocked, false],
        ].sort((x, y) => Number(x[0]) - Number(y[0])),
      );
      const snapshots = async () =>
        (
          await tx.query<{ product_id: string; method: string }>(
            `SELECT product_id::text, method FROM replenishment.burn_rate_snapshot WHERE needs_list_id = $1`,
            [list.id],
          )
        ).rows;
      expect(await snapshots()).toEqual([{ product_id: short, method: 'BASELINE_FALLBACK' }]);
    });
  });
});

describe('freshness, graded when read', () => {
  it('a warehouse silent for 7 hours reads OFFLINE (LOW) with no write; the grade is stamped on the needs list', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      await surge(tx, w);
      const home = w.warehouses[0]!;
      await tx.query('UPDATE replenishment.warehouse_setting SET last_synced_at = NULL, last_observed_at = NULL WHERE warehouse_id = $1', [
        home,
      ]);
      // tg_warehouse_sync_log__advance_clocks moves the clocks; update_warehouse_sync_status (trg_warehouse_sync_status) stamps ONLINE.
      await tx.query('INSERT INTO replenishment.warehouse_sync_log (warehouse_id, as_of, synced_at) VALUES ($1, $2, $3)', [
        home,
        at(-7.5),
        at(-7),
      ]);
      await tx.query(
        `INSERT INTO replenishment.warehouse_sync_log (warehouse_id, as_of, synced_at, status) VALUES ($1, $2, $2, 'FAILED')`,
        [home, at(-1)],
      );
      const grade = async (when: Date) =>
        (await tx.query<{ grade: string }>('SELECT replenishment.warehouse_freshness($1, $2) AS grade', [home, when])).rows[0]!.grade;
      expect([await grade(at(-6)), await grade(at(-3)), await grade(at(0))]).toEqual(['HIGH', 'MEDIUM', 'LOW']);
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0) });
      expect(list.dataFreshnessLevel).toBe('LOW');
      // The view grades at now(): clocks 7 hours old read OFFLINE, although nothing was written since.
      await tx.query(
        `UPDATE replenishment.warehouse_setting SET last_synced_at = now() - interval '7 hours', last_observed_at = now() - interval '7 hours' WHERE warehouse_id = $1`,
        [home],
      );
      await move(tx, 'RECEIPT', w.products[0]!, home, 5, at(-20));
      const { rows } = await tx.query(
        `SELECT data_freshness_level, sync_status FROM replenishment.v_stock_status WHERE warehouse_id = $1`,
        [home],
      );
      expect(rows).toEqual([{ data_freshness_level: 'LOW', sync_status: 'OFFLINE' }]);
      const { rows: stamped } = await tx.query('SELECT sync_status FROM replenishment.warehouse_setting WHERE warehouse_id = $1', [home]);
      expect(stamped).toEqual([{ sync_status: 'OFFLINE' }]);
    });
  });
});

describe('the gap and its sources', () => {
  it('inbound arriving after the projected stockout does not reduce the gap (v_inbound_stock, time-phased)', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      await surge(tx, w);
      const [home, product] = [w.warehouses[0]!, w.products[0]!];
      await move(tx, 'RECEIPT', product, home, 50, at(-10));
      for (const h of [-5, -4, -3]) await move(tx, 'ISSUE', product, home, 10, at(h)); // 20 left, 5 an hour: out in 4 h
      for (const [no, eta, quantity] of [
        ['DN-EARLY', at(2), 50],
        ['DN-LATE', at(10), 100],
      ] as const) {
        await tx.query(
          `WITH d AS (INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
                      VALUES ($1, $2, $3, 'donor', 'CONFIRMED', $4) RETURNING id)
           INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) SELECT id, $5, $6 FROM d`,
          [no, w.event, home, eta, product, quantity],
        );
      }
      const { rows: inbound } = await tx.query(
        `SELECT source_no, quantity::text FROM replenishment.v_inbound_stock WHERE warehouse_id = $1 ORDER BY source_no`,
        [home],
      );
      expect(inbound).toEqual([
        { source_no: 'DN-EARLY', quantity: '50.0000' },
        { source_no: 'DN-LATE', quantity: '100.0000' },
      ]);
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0) });
      // required 5 x 72 x 1.5 = 540; netted: 20 available + 50 arriving before the stockout (not the 100 after it).
      expect(list.items).toMatchObject([
        { availableQty: '20.0000', inboundQty: '50.0000', hoursToStockout: '4.0000', requiredQty: '540.0000', gapQty: '470.0000' },
      ]);
    });
  });

  it('covers a gap with surplus above the sources minimum, then confirmed donations, then procurement; a new list supersedes the DRAFT', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 3 });
      await surge(tx, w);
      const [home, rich, poor] = w.warehouses as [string, string, string];
      const product = w.products[0]!;
      await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 2, min_stock_threshold = 30 WHERE product_id = $1', [
        product,
      ]);
      await move(tx, 'RECEIPT', product, rich, 100, at(-50));
      await move(tx, 'RECEIPT', product, poor, 25, at(-50));
      await tx.query(
        `WITH d AS (INSERT INTO replenishment.donation (donation_no, event_id, donor_name, status) VALUES ('DN-POOL', $1, 'donor', 'CONFIRMED') RETURNING id)
         INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) SELECT id, $2, 100 FROM d`,
        [w.event, product],
      );
      const first = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0), actor: 'planner' });
      // Stocked out all window: baseline 2/h, 2 x 72 x 1.5 = 216 = 70 surplus (100 - 30) + 100 donated + 46 bought.
      expect(first.items).toMatchObject([
        { gapQty: '216.0000', transferQty: '70.0000', donationQty: '100.0000', procurementQty: '46.0000' },
      ]);
      const second = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(1), actor: 'planner' });
      // The superseded list's claims are released: the new one claims the same again.
      expect(second.items).toMatchObject([{ transferQty: '70.0000', donationQty: '100.0000' }]);
      const { rows } = await tx.query(`SELECT status_code, superseded_by_id::text FROM replenishment.needs_list WHERE id = $1`, [first.id]);
      expect(rows).toEqual([{ status_code: 'SUPERSEDED', superseded_by_id: second.id }]);
    });
  });

  it('two needs lists computed at once do not claim the same surplus', async () => {
    const db = pool();
    const w = await withClient(db, TEST_CLIENTS.A.id, (tx) => surplusWorld(tx, 3));
    const lists = await Promise.all(
      [w.warehouses[0]!, w.warehouses[1]!].map((warehouseId) =>
        withClient(db, TEST_CLIENTS.A.id, (tx) => computeNeedsList(tx, { eventId: w.event, warehouseId, at: at(0) })),
      ),
    );
    const claimed = lists.map((list) => Number(list.items.find((item) => item.productId === w.products[0])!.transferQty));
    // Each needs 540; the source can give 80 above its minimum, to one list or split, never twice.
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(80);
  });
});

describe('every needs list of an event (computeEventNeedsLists)', () => {
  it("computes one DRAFT per active warehouse of the event, side by side, and the lists claim the source's surplus once in all", async () => {
    const db = pool();
    const w = await withClient(db, TEST_CLIENTS.A.id, async (tx) => {
      const world = await surplusWorld(tx, 4);
      await tx.query('UPDATE replenishment.warehouse_setting SET is_active = false WHERE warehouse_id = $1', [world.warehouses[3]]);
      return world;
    });
    const heard: string[] = [];
    const lists = await computeEventNeedsLists(db, TEST_CLIENTS.A.id, {
      eventId: w.event,
      at: at(0),
      concurrency: 3,
      onList: (list) => heard.push(list.warehouseId),
    });
    // The inactive warehouse has none; the others in code order (W0-, W1-, W2-), each heard of once.
    expect(lists.map((list) => list.warehouseId)).toEqual(w.warehouses.slice(0, 3));
    expect([...heard].sort()).toEqual([...w.warehouses.slice(0, 3)].sort());
    for (const summary of lists) {
      const list = (await needsList(db, summary.needsListId))!;
      expect(list).toMatchObject({ statusCode: 'DRAFT', warehouseId: summary.warehouseId, needsListNo: summary.needsListNo });
      expect(summary.items).toBe(list.items.length);
      expect(summary.itemsWithGap).toBe(list.items.filter((item) => Number(item.gapQty) > 0).length);
      expect(Number(summary.transferQty)).toBe(list.items.reduce((sum, item) => sum + Number(item.transferQty), 0));
    }
    // Two lists need 540 each; the third warehouse can give 80 above its minimum, once.
    expect(lists.reduce((sum, list) => sum + Number(list.transferQty), 0)).toBe(80);
    await expect(computeEventNeedsLists(db, TEST_CLIENTS.A.id, { eventId: w.event, concurrency: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it('throws what a list failed with, keeping none of it; an unknown event is refused by name', async () => {
    const db = pool();
    const w = await withClient(db, TEST_CLIENTS.A.id, (tx) => reliefWorld(tx, { warehouses: 3 }));
    // No SURGE parameters at all (the superuser's doing): compute_needs_list refuses every list (P0002).
    await adminPool().query("DELETE FROM replenishment.event_phase_config WHERE event_id = $1 AND phase = 'SURGE'", [w.event]);
    await db.query(`UPDATE replenishment.event SET current_phase = 'SURGE' WHERE id = $1`, [w.event]);
    const heard: string[] = [];
    const computing = computeEventNeedsLists(db, TEST_CLIENTS.A.id, {
      eventId: w.event,
      at: at(0),
      onList: (list) => heard.push(list.warehouseId),
    });
    await expect(computing).rejects.toMatchObject({ code: 'P0002', message: expect.stringContaining('has no SURGE parameters') });
    expect(heard).toEqual([]);
    const { rows } = await db.query('SELECT count(*)::int AS lists FROM replenishment.needs_list WHERE event_id = $1', [w.event]);
    expect(rows).toEqual([{ lists: 0 }]);
    await expect(computeEventNeedsLists(db, TEST_CLIENTS.A.id, { eventId: '999999999' })).rejects.toThrow(UnknownReliefObjectError);
  });
});

describe("expiring stock (ledger inflows and the product's shelf life)", () => {
  it('stock expiring before the projected stockout raises the gap by that quantity; stock expiring after it does not', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 3 });
      await surge(tx, w);
      const home = w.warehouses[0]!;
      const [early, late, keeps] = w.products as [string, string, string];
      await tx.query('UPDATE catalog.product SET shelf_life_days = 10 WHERE id = ANY($1)', [[early, late]]);
      // Each: 50 old, 50 new, 30 issued (5 an hour): 70 on hand, out in 14 h; first in first out,
      // 20 of the old receipt are left. Early's old receipt expires at +5 h (before the stockout),
      // late's at +15 h (after it); keeps has no shelf life.
      for (const [product, oldReceipt] of [
        [early, -235],
        [late, -225],
        [keeps, -235],
      ] as const) {
        await move(tx, 'RECEIPT', product, home, 50, at(oldReceipt));
        await move(tx, 'RECEIPT', product, home, 50, at(-10));
        for (const h of [-5, -4, -3]) await move(tx, 'ISSUE', product, home, 10, at(h));
      }
      const list = await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0) });
      const line = (product: string) => list.items.find((item) => item.productId === product);
      // required 5 x 72 x 1.5 = 540; gap = 540 - (70 - expiring).
      expect(line(early)).toMatchObject({
        availableQty: '70.0000',
        hoursToStockout: '14.0000',
        expiringQty: '20.0000',
        gapQty: '490.0000',
      });
      expect(line(late)).toMatchObject({ availableQty: '70.0000', expiringQty: '0.0000', gapQty: '470.0000' });
      expect(line(keeps)).toMatchObject({ expiringQty: '0.0000', gapQty: '470.0000' });
    });
  });
});

describe('claims on surplus: released when the surplus is no longer set aside', () => {
  /** Three event warehouses (two in need, one with 100 of the product, 20 its minimum: 80 to give), SURGE, baseline 5/h. */
  async function claimWorld(tx: pg.ClientBase): Promise<{ w: World; source: string; product: string }> {
    const w = await reliefWorld(tx, { warehouses: 3 });
    await surge(tx, w);
    const product = w.products[0]!;
    await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 5, min_stock_threshold = 20 WHERE product_id = $1', [
      product,
    ]);
    await move(tx, 'RECEIPT', product, w.warehouses[2]!, 100, at(-50));
    return { w, source: w.warehouses[2]!, product };
  }

  it('an approved list that is never fulfilled holds its claims for its planning window, not for ever', async () => {
    await withRollback(async (tx) => {
      const { w, product } = await claimWorld(tx);
      // Lines of the client's other active products (committed by other tests) may come first.
      const line = (list: { items: { productId: string }[] }) => list.items.find((item) => item.productId === product);
      const first = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[0]!, at: at(0) });
      expect(line(first)).toMatchObject({ transferQty: '80.0000' });
      await tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'ann' WHERE id = $1`, [first.id]);
      await tx.query(
        `UPDATE replenishment.needs_list SET status_code = 'APPROVED', approved_by = 'bob', update_by_id = 'bob' WHERE id = $1`,
        [first.id],
      );
      // Inside the first list's 72-hour planning window its claims hold the surplus; after it they lapse.
      const inside = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[1]!, at: at(71) });
      expect(line(inside)).toMatchObject({ transferQty: '0.0000' });
      const after = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[1]!, at: at(72) });
      expect(line(after)).toMatchObject({ transferQty: '80.0000' });
    });
  });

  it("what a list's transfer dispatched from a source stops counting as claimed there (the level already shows it)", async () => {
    await withRollback(async (tx) => {
      const { w, source, product } = await claimWorld(tx);
      const line = (list: { items: { productId: string }[] }) => list.items.find((item) => item.productId === product);
      const transit = (
        await tx.query<{ id: string }>(`INSERT INTO catalog.warehouse (code, name) VALUES ($1, 'in transit') RETURNING id::text`, [
          `TRANSIT-${w.event}`,
        ])
      ).rows[0]!.id;
      const first = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[0]!, at: at(0) });
      expect(line(first)).toMatchObject({ transferQty: '80.0000' });
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id, needs_list_id) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
        [`TR-${first.id}`, w.event, source, w.warehouses[0], first.id],
      );
      await tx.query('INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity) VALUES ($1, $2, 30)', [
        rows[0]!.id,
        product,
      ]);
      await dispatchTransfer(tx, { transferId: rows[0]!.id, transitWarehouseId: transit, dispatchedBy: 'driver', dispatchedAt: at(1) });
      await move(tx, 'RECEIPT', product, source, 30, at(2));
      // The source: 100 - 30 dispatched + 30 received = 100, 80 above its minimum; the first list still
      // holds 80 - 30 = 50 of it, so 30 are free (counting its whole claim again would leave none).
      const second = await computeNeedsList(tx, { eventId: w.event, warehouseId: w.warehouses[1]!, at: at(3) });
      expect(line(second)).toMatchObject({ transferQty: '30.0000' });
    });
  });
});

describe('transfers through the ledger', () => {
  it('dispatch moves stock to the transit warehouse (in transit in v_inbound_stock); receipts, partial or whole, are taken exactly once', async () => {
    const db = pool();
    const { w, transfer } = await withClient(db, TEST_CLIENTS.A.id, async (tx) => {
      const world = await reliefWorld(tx, { warehouses: 3 });
      const [from, to, transit] = world.warehouses as [string, string, string];
      await move(tx, 'RECEIPT', world.products[0]!, from, 10, at(-5));
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [`TR-${world.event}`, world.event, from, to],
      );
      await tx.query('INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity) VALUES ($1, $2, 10)', [
        rows[0]!.id,
        world.products[0],
      ]);
      await dispatchTransfer(tx, { transferId: rows[0]!.id, transitWarehouseId: transit, dispatchedBy: 'driver', dispatchedAt: at(0) });
      return { w: world, transfer: rows[0]!.id };
    });
    const [from, to, transit] = w.warehouses as [string, string, string];
    const product = w.products[0]!;
    expect((await stockLevel(db, product, from))?.qtyOnHand).toBe('0.0000');
    expect((await stockLevel(db, product, transit))?.qtyOnHand).toBe('10.0000');
    const { rows: inTransit } = await db.query(
      `SELECT quantity::text, expected_arrival FROM replenishment.v_inbound_stock WHERE source_id = $1 AND source_type = 'TRANSFER'`,
      [transfer],
    );
    expect(inTransit).toEqual([{ quantity: '10.0000', expected_arrival: at(8) }]); // the default TRANSFER lead time
    // Two receipts of 6 at once: one is taken, the other refused (never more than dispatched).
    const outcomes = await Promise.allSettled(
      ['R1', 'R2'].map((key) =>
        withClient(db, TEST_CLIENTS.A.id, (tx) =>
          receiveTransfer(tx, {
            transferId: transfer,
            lines: [{ productId: product, quantity: '6' }],
            receivedBy: 'keeper',
            receiptKey: `${transfer}-${key}`,
          }),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({
      reason: { name: 'TransferReceiptError', reason: 'over-receipt', transferId: transfer },
    });
    // The same receipt posted again posts nothing; the rest completes the transfer.
    const again = outcomes.findIndex((o) => o.status === 'fulfilled');
    await withClient(db, TEST_CLIENTS.A.id, (tx) =>
      receiveTransfer(tx, {
        transferId: transfer,
        lines: [{ productId: product, quantity: '6' }],
        receivedBy: 'keeper',
        receiptKey: `${transfer}-R${again + 1}`,
      }),
    );
    expect((await stockLevel(db, product, to))?.qtyOnHand).toBe('6.0000');
    // A partial receipt leaves the rest in transit, counted once.
    const { rows: rest } = await db.query(
      `SELECT quantity::text FROM replenishment.v_inbound_stock WHERE source_id = $1 AND source_type = 'TRANSFER'`,
      [transfer],
    );
    expect(rest).toEqual([{ quantity: '4.0000' }]);
    const done = await withClient(db, TEST_CLIENTS.A.id, (tx) =>
      receiveTransfer(tx, {
        transferId: transfer,
        lines: [{ productId: product, quantity: '4' }],
        receivedBy: 'keeper',
        receiptKey: `${transfer}-R3`,
      }),
    );
    expect(done).toEqual({ posted: 1, alreadyPosted: 0, complete: true });
    expect((await stockLevel(db, product, to))?.qtyOnHand).toBe('10.0000');
    expect((await stockLevel(db, product, transit))?.qtyOnHand).toBe('0.0000');
    const { rows } = await db.query(`SELECT status, received_by FROM replenishment.transfer WHERE id = $1`, [transfer]);
    expect(rows).toEqual([{ status: 'RECEIVED', received_by: 'keeper' }]);
    await expect(
      withClient(db, TEST_CLIENTS.A.id, (tx) =>
        receiveTransfer(tx, {
          transferId: transfer,
          lines: [{ productId: product, quantity: '1' }],
          receivedBy: 'k',
          receiptKey: `${transfer}-R4`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'TransferReceiptError', reason: 'not-in-transit' });
  });
});

describe('v_stock_status', () => {
  it('shows available stock, the latest burn rate, hours to stockout and a status per product of a relief warehouse', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 2 });
      await surge(tx, w);
      const [home, [a, b]] = [w.warehouses[0]!, w.products as [string, string]];
      await move(tx, 'RECEIPT', a, home, 60, at(-10));
      for (const h of [-5, -4, -3]) await move(tx, 'ISSUE', a, home, 10, at(h)); // 30 left, 5 an hour
      await move(tx, 'RECEIPT', b, home, 5, at(-10));
      await move(tx, 'ISSUE', b, home, 5, at(-2));
      await tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = 1 WHERE product_id = $1', [b]);
      await computeNeedsList(tx, { eventId: w.event, warehouseId: home, at: at(0) });
      const { rows } = await tx.query(
        `SELECT product_id::text, available_qty::text, burn_rate::text, hours_to_stockout::text, stock_status, current_phase
           FROM replenishment.v_stock_status WHERE warehouse_id = $1 ORDER BY available_qty DESC`,
        [home],
      );
      expect(rows).toEqual([
        {
          product_id: a,
          available_qty: '30.0000',
          burn_rate: '5.0000',
          hours_to_stockout: '6.00',
          stock_status: 'CRITICAL',
          current_phase: 'SURGE',
        },
        {
          product_id: b,
          available_qty: '0.0000',
          burn_rate: '1.2500',
          hours_to_stockout: '0.00',
          stock_status: 'OUT_OF_STOCK',
          current_phase: 'SURGE',
        },
      ]);
      // The typed read (stockStatus): the same rows, by product id, every column of the view.
      const typed = await stockStatus(tx, home);
      expect(typed.map((row) => row.productId)).toEqual([a, b].sort((x, y) => Number(x) - Number(y)));
      const { rows: view } = await tx.query(`SELECT * FROM replenishment.v_stock_status WHERE warehouse_id = $1 ORDER BY product_id`, [
        home,
      ]);
      // Every column of the view but the client and the warehouse, under its camelCase name.
      const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
      expect(typed).toEqual(
        view.map(({ client_id: _client, warehouse_id: _warehouse, ...row }) =>
          Object.fromEntries(Object.entries(row).map(([name, value]) => [camel(name), value])),
        ),
      );
      expect(typed[0]!.lastSyncedAt).not.toBe(typed[1]!.lastSyncedAt); // a Date of its own per row
      expect(await stockStatus(tx, '999999999')).toEqual([]); // no such warehouse: no rows, no figures
      expect(typed.find((row) => row.productId === a)).toMatchObject({
        availableQty: '30.0000',
        burnRate: '5.0000',
        burnRateMethod: 'OBSERVED',
        hoursToStockout: '6.00',
        stockStatus: 'CRITICAL',
        currentPhase: 'SURGE',
        eventId: w.event,
        dataFreshnessLevel: view[0]!.data_freshness_level,
        burnRateAt: at(0),
      });
    });
  });

  it('inboundStock reads what v_inbound_stock says is due to a warehouse, soonest first', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1, products: 2 });
      const [home, [a, b]] = [w.warehouses[0]!, w.products as [string, string]];
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
         VALUES ('DN-IN-1', $1, $2, 'donor', 'CONFIRMED', $3) RETURNING id::text`,
        [w.event, home, at(30)],
      );
      await tx.query(`INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) VALUES ($1, $2, 40), ($1, $3, 25)`, [
        rows[0]!.id,
        a,
        b,
      ]);
      const typed = await inboundStock(tx, home);
      const { rows: view } = await tx.query(
        `SELECT product_id::text, quantity::text FROM replenishment.v_inbound_stock WHERE warehouse_id = $1 ORDER BY product_id`,
        [home],
      );
      expect(view).toHaveLength(2);
      expect(typed.map((line) => ({ product_id: line.productId, quantity: line.quantity }))).toEqual(view);
      expect(typed[0]).toMatchObject({ sourceType: 'DONATION', sourceId: rows[0]!.id, sourceNo: 'DN-IN-1', expectedArrival: at(30) });
    });
  });
});

describe('procurement and lead times', () => {
  it('tg_procurement__set_expected_arrival dates an order from the most specific lead time', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 1 });
      const supplier = (
        await tx.query<{ id: string }>(`INSERT INTO catalog.supplier (code, name) VALUES ($1, 'relief supplier') RETURNING id::text`, [
          `S-${w.event}`,
        ])
      ).rows[0]!.id;
      const order = async (no: string) =>
        (
          await tx.query<{ eta: Date }>(
            `INSERT INTO replenishment.procurement (procurement_no, supplier_id, warehouse_id, status_code, ordered_at) VALUES ($1, $2, $3, 'ORDERED', $4)
             RETURNING expected_arrival AS eta`,
            [no, supplier, w.warehouses[0], at(0)],
          )
        ).rows[0]!.eta;
      expect(await order('PO-DEFAULT')).toEqual(at(336));
      await tx.query(
        `INSERT INTO replenishment.lead_time_config (source_type, supplier_id, lead_time_hours) VALUES ('PROCUREMENT', $1, 96)`,
        [supplier],
      );
      expect(await order('PO-SUPPLIER')).toEqual(at(96));
    });
  });
});
