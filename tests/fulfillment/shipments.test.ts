/**
 * Shipment tracking (add_shipment_tracking): carriers shared, carrier events append-only and
 * idempotent, a status that never regresses, over-shipping refused (concurrent shippers included),
 * shipping posted to the ledger once. Each rule broken on purpose by SQLSTATE and constraint name.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { withClient } from '../../src/db/tenancy.ts';
import { OverShippingError, UnknownShipmentError } from '../../src/fulfillment/errors.ts';
import {
  type CarrierEventInput,
  addShipmentItem,
  ingestCarrierEvents,
  postShipment,
  shipmentHistory,
  shipmentState,
} from '../../src/fulfillment/shipments.ts';
import { pool, withAdminRollback, withRollback } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { orderFixture } from './fixtures.ts';

type Order = Awaited<ReturnType<typeof orderFixture>>;

async function receive(tx: ClientTransaction, order: Order, quantity: number) {
  await tx.query(
    `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost) VALUES ('RECEIPT', $1, $2, $3, 2)`,
    [order.productId, order.warehouseId, quantity],
  );
}

async function shipment(tx: ClientTransaction, order: Order, carrier = 'UPS', tracking: string | null = `TRK-${order.suffix}`) {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number) SELECT $1, id, $3 FROM fulfillment.carrier WHERE code = $2 RETURNING id::text`,
    [order.orderId, carrier, tracking],
  );
  return rows[0]!.id;
}

function event(shipmentId: string, code: string, occurredAt: string, extra: Partial<CarrierEventInput> = {}): CarrierEventInput {
  return { shipmentId, carrierStatusCode: code, occurredAt, ...extra };
}

async function status(tx: ClientTransaction, shipmentId: string) {
  return (await shipmentState(tx, shipmentId)).status;
}

describe('carriers and their status codes', () => {
  it('are shared reference data the application reads but does not write', async () => {
    await withRollback(async (tx) => {
      const { rows } = await tx.query(`SELECT code FROM fulfillment.carrier ORDER BY code`);
      expect(rows.map((row) => row.code)).toEqual(['DHL', 'FEDEX', 'UPS', 'USPS']);
      await expectSqlError(tx, () => tx.query(`INSERT INTO fulfillment.carrier (code, name) VALUES ('X', 'X')`), '42501');
      await expectSqlError(tx, () => tx.query(`UPDATE fulfillment.carrier_status_map SET status = 'DELIVERED'`), '42501');
    });
    await withAdminRollback(async (tx) => {
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.carrier_status_map (carrier_id, carrier_code, status) VALUES (-1, 'x', 'IN_TRANSIT')`),
        '23503',
        'carrier_status_map_carrier_id_fkey',
      );
      const order = await orderFixture(tx);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.shipment (order_request_id, carrier_id) VALUES ($1, -1)`, [order.orderId]),
        '23503',
        'shipment_carrier_id_fkey',
      );
      const id = await shipment(tx, order, 'DHL');
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.carrier WHERE code = 'DHL'`),
        await fkRestrictCode(tx),
        'shipment_carrier_id_fkey',
      );
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.order_request WHERE id = $1`, [order.orderId]),
        await fkRestrictCode(tx),
        'shipment_order_request_id_fkey',
      );
      expect(id).toBeDefined();
    });
  });
});

describe('carrier events', () => {
  it('store each event once: the same event twice, a webhook redelivered, the same time in another offset', async () => {
    await withRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx));
      const first = [
        event(id, 'I', '2026-12-01T10:00:00Z', { eventId: 'evt-1', location: 'Memphis' }),
        event(id, 'O', '2026-12-02T08:00:00Z'),
      ];
      expect(await ingestCarrierEvents(tx, first)).toBe(2);
      expect(await ingestCarrierEvents(tx, first)).toBe(0);
      // The same event id with different content (a redelivery re-serialised) and the same event in another offset.
      expect(await ingestCarrierEvents(tx, [event(id, 'X', '2026-12-03T00:00:00Z', { eventId: 'evt-1' })])).toBe(0);
      expect(await ingestCarrierEvents(tx, [event(id, 'I', '2026-12-01T12:00:00+02:00', { location: 'Memphis' })])).toBe(0);
      // A plain INSERT of a stored event is refused by the key, by name.
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.carrier_event (shipment_id, carrier_status_code, status, location, occurred_at) VALUES ($1, 'I', 'IN_TRANSIT', 'Memphis', '2026-12-01T10:00:00Z')`,
            [id],
          ),
        '23505',
        'carrier_event_client_id_shipment_id_fingerprint_key',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.carrier_event (shipment_id, event_id, carrier_status_code, status, occurred_at) VALUES ($1, 'evt-1', 'D', 'DELIVERED', now())`,
            [id],
          ),
        '23505',
        'carrier_event_client_id_shipment_id_event_id_key',
      );
      const history = await shipmentHistory(tx, id);
      expect(history.map((row) => [row.carrierStatusCode, row.status])).toEqual([
        ['I', 'IN_TRANSIT'],
        ['O', 'OUT_FOR_DELIVERY'],
      ]);
      expect(history[0]!.receivedAt.getTime()).not.toBe(history[0]!.occurredAt.getTime());
    });
  });

  it('come back in carrier time, those of the same time in the order stored: ids compared as numbers, not as text', async () => {
    // setval is not undone by the rollback: it only moves the sequence forward, to just below a power
    // of ten, so that the batch's ids cross it (as text, '10000' would come before '9999').
    await withAdminRollback((tx) =>
      tx.query(
        `SELECT setval('fulfillment.carrier_event_id_seq', (10 ^ length((last_value + 2)::text))::bigint - 2) FROM fulfillment.carrier_event_id_seq`,
      ),
    );
    await withRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx));
      const hubs = ['A', 'B', 'C', 'D'];
      expect(
        await ingestCarrierEvents(
          tx,
          hubs.map((hub) => event(id, 'I', '2026-12-01T10:00:00Z', { location: hub })),
        ),
      ).toBe(4);
      const ids = (await shipmentHistory(tx, id)).map((row) => row.id);
      expect(new Set(ids.map((value) => value.length)).size).toBe(2);
      expect(ids).toEqual([...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    });
  });

  it('are append-only: the application may not change or delete them, nor may anyone else', async () => {
    await withRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx));
      await ingestCarrierEvents(tx, [event(id, 'I', '2026-12-01T10:00:00Z')]);
      await expectSqlError(tx, () => tx.query(`UPDATE fulfillment.carrier_event SET location = 'x' WHERE shipment_id = $1`, [id]), '42501');
      await expectSqlError(tx, () => tx.query(`DELETE FROM fulfillment.carrier_event WHERE shipment_id = $1`, [id]), '42501');
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.carrier_event (shipment_id, carrier_status_code, status, occurred_at) VALUES ($1, '', 'UNKNOWN', now())`,
            [id],
          ),
        '23514',
        'carrier_event_carrier_status_code_check',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.carrier_event (shipment_id, carrier_status_code, status, occurred_at) VALUES (-1, 'I', 'IN_TRANSIT', now())`,
          ),
        '23503',
        'carrier_event_shipment_id_fkey',
      );
    });
    await withAdminRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx));
      await ingestCarrierEvents(tx, [event(id, 'I', '2026-12-01T10:00:00Z')]);
      await expectSqlError(tx, () => tx.query(`UPDATE fulfillment.carrier_event SET location = 'x' WHERE shipment_id = $1`, [id]), '23001');
      await expectSqlError(tx, () => tx.query(`DELETE FROM fulfillment.carrier_event WHERE shipment_id = $1`, [id]), '23001');
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.shipment WHERE id = $1`, [id]),
        await fkRestrictCode(tx),
        'carrier_event_shipment_id_fkey',
      );
    });
  });
});

describe('the current status (tg_carrier_event__advance_status)', () => {
  it('moves forward only, whatever the arrival order: a late IN_TRANSIT after DELIVERED changes nothing', async () => {
    await withRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx));
      expect(await status(tx, id)).toBe('PENDING');
      await ingestCarrierEvents(tx, [event(id, 'MP', '2026-12-01T08:00:00Z')]);
      expect(await status(tx, id)).toBe('INFO_RECEIVED');
      await ingestCarrierEvents(tx, [event(id, 'O', '2026-12-02T08:00:00Z')]);
      // Out of order: an older IN_TRANSIT arrives after OUT_FOR_DELIVERY.
      await ingestCarrierEvents(tx, [event(id, 'I', '2026-12-01T20:00:00Z')]);
      expect(await status(tx, id)).toBe('OUT_FOR_DELIVERY');
      await ingestCarrierEvents(tx, [event(id, 'D', '2026-12-02T15:00:00Z')]);
      await ingestCarrierEvents(tx, [
        event(id, 'I', '2026-12-03T08:00:00Z'),
        event(id, 'X', '2026-12-03T09:00:00Z'),
        event(id, 'RS', '2026-12-04T09:00:00Z'),
      ]);
      const state = await shipmentState(tx, id);
      expect(state).toMatchObject({ status: 'DELIVERED', progressStatus: 'DELIVERED', deliveredAt: new Date('2026-12-02T15:00:00Z') });
    });
  });

  it('shows an exception while it is the newest news, and moves on with the next progress; unknown codes move nothing', async () => {
    await withRollback(async (tx) => {
      const id = await shipment(tx, await orderFixture(tx), 'DHL');
      await ingestCarrierEvents(tx, [
        event(id, 'transit', '2026-12-01T08:00:00Z'),
        event(id, 'failure', '2026-12-01T12:00:00Z', { description: 'Address not found' }),
      ]);
      expect(await shipmentState(tx, id)).toMatchObject({
        status: 'EXCEPTION',
        progressStatus: 'IN_TRANSIT',
        exceptionReason: 'Address not found',
      });
      await ingestCarrierEvents(tx, [event(id, 'unknown', '2026-12-01T13:00:00Z'), event(id, 'NOT-A-CODE', '2026-12-01T14:00:00Z')]);
      expect(await status(tx, id)).toBe('EXCEPTION');
      await ingestCarrierEvents(tx, [event(id, 'transit', '2026-12-01T16:00:00Z')]);
      expect(await status(tx, id)).toBe('IN_TRANSIT');
      const { rows } = await tx.query(
        `SELECT status FROM fulfillment.carrier_event WHERE shipment_id = $1 AND carrier_status_code = 'NOT-A-CODE'`,
        [id],
      );
      expect(rows).toEqual([{ status: 'UNKNOWN' }]);
    });
  });

  it('audits the moves of a batch per statement (tg__record_updates): one UPDATE row per moved shipment, old and new', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      const [a, b, untouched] = [
        await shipment(tx, order, 'UPS', null),
        await shipment(tx, order, 'UPS', null),
        await shipment(tx, order, 'UPS', null),
      ];
      await ingestCarrierEvents(tx, [
        event(a, 'MP', '2026-12-01T08:00:00Z'),
        event(a, 'P', '2026-12-01T09:00:00Z'),
        event(b, 'MP', '2026-12-01T08:30:00Z'),
      ]);
      // An ordinary update of a shipment is audited by the same trigger.
      await tx.query(`UPDATE fulfillment.shipment SET delivery_confirmation = 'front desk' WHERE id = $1`, [untouched]);
      const { rows } = await tx.query(
        `SELECT row_id::text AS shipment, action, old_row ->> 'status' AS old_status, new_row ->> 'status' AS new_status,
                new_row ->> 'delivery_confirmation' AS confirmation
           FROM audit.audit_log WHERE table_schema = 'fulfillment' AND table_name = 'shipment' AND row_id = ANY ($1::bigint[]) AND action = 'UPDATE'
          ORDER BY id`,
        [[a, b, untouched]],
      );
      expect(rows).toEqual([
        { shipment: a, action: 'UPDATE', old_status: 'PENDING', new_status: 'IN_TRANSIT', confirmation: null },
        { shipment: b, action: 'UPDATE', old_status: 'PENDING', new_status: 'INFO_RECEIVED', confirmation: null },
        { shipment: untouched, action: 'UPDATE', old_status: 'PENDING', new_status: 'PENDING', confirmation: 'front desk' },
      ]);
      // Inserts are still audited row by row (tg__record_change).
      const inserts = await tx.query(
        `SELECT count(*)::int AS n FROM audit.audit_log WHERE table_name = 'shipment' AND row_id = ANY ($1::bigint[]) AND action = 'INSERT'`,
        [[a, b, untouched]],
      );
      expect(inserts.rows[0].n).toBe(3);
    });
  });

  it('is written only by the events: direct writes are refused', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      const id = await shipment(tx, order);
      for (const set of [`status = 'DELIVERED'`, `progress_rank = 100`, `delivered_at = now()`, `exception_at = now()`]) {
        await expectSqlError(
          tx,
          () => tx.query(`UPDATE fulfillment.shipment SET ${set} WHERE id = $1`, [id]),
          '23514',
          'shipment_status_from_events_check',
        );
      }
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment (order_request_id, carrier_id, status) SELECT $1, id, 'DELIVERED' FROM fulfillment.carrier WHERE code = 'UPS'`,
            [order.orderId],
          ),
        '23514',
        'shipment_status_from_events_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.shipment SET shipped_at = now() WHERE id = $1`, [id]),
        '23514',
        'shipment_shipped_when_posted_check',
      );
      await tx.query(
        `UPDATE fulfillment.shipment SET estimated_delivery_at = '2026-12-05', delivery_confirmation = 'J. Smith' WHERE id = $1`,
        [id],
      );
    });
    await withAdminRollback(async (tx) => {
      // The CHECKs behind the guard, for writers that get past it (a replica, an operator).
      const id = await shipment(tx, await orderFixture(tx));
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.shipment SET progress_rank = 101 WHERE id = $1`, [id]),
        '23514',
        'shipment_progress_rank_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.shipment SET delivered_at = now() WHERE id = $1`, [id]),
        '23514',
        'shipment_delivered_at_check',
      );
    });
  });

  it('lets a tracking number come back once its shipment is delivered, never twice among live shipments of a carrier', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      const first = await shipment(tx, order, 'UPS', 'RECYCLED-1');
      await shipment(tx, order, 'FEDEX', 'RECYCLED-1');
      await expectSqlError(
        tx,
        () => shipment(tx, order, 'UPS', 'RECYCLED-1'),
        '23505',
        'shipment_client_id_carrier_id_tracking_number_live_key',
      );
      await ingestCarrierEvents(tx, [event(first, 'D', '2026-12-01T10:00:00Z')]);
      expect(await shipment(tx, order, 'UPS', 'RECYCLED-1')).toBeDefined();
    });
  });
});

describe('shipment items', () => {
  it('never ship more than the order item asks', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx, '5');
      const id = await shipment(tx, order);
      const item = { shipmentId: id, orderRequestItemId: order.itemId, productId: order.productId };
      await addShipmentItem(tx, { ...item, quantity: '3' });
      await expect(addShipmentItem(tx, { ...item, quantity: '2.0001' })).rejects.toMatchObject({
        name: 'OverShippingError',
        orderRequestItemId: order.itemId,
        quantity: '2.0001',
      });
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES ($1, $2, $3, 3)`,
            [id, order.itemId, order.productId],
          ),
        '23514',
        'order_request_item_shipped_within_quantity_check',
      );
      const second = await addShipmentItem(tx, { ...item, quantity: '2' });
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.shipment_item SET quantity = 3 WHERE id = $1`, [second]),
        '23514',
        'order_request_item_shipped_within_quantity_check',
      );
      await tx.query(`DELETE FROM fulfillment.shipment_item WHERE id = $1`, [second]);
      const { rows } = await tx.query(`SELECT quantity_shipped::text FROM fulfillment.order_request_item WHERE id = $1`, [order.itemId]);
      expect(rows).toEqual([{ quantity_shipped: '3.0000' }]);
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES ($1, $2, $3, 0)`,
            [id, order.itemId, order.productId],
          ),
        '23514',
        'shipment_item_quantity_positive_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request_item SET quantity_shipped = 0 WHERE id = $1`, [order.itemId]),
        '23514',
        'order_request_item_shipped_from_items_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request_item SET quantity = 2 WHERE id = $1`, [order.itemId]),
        '23514',
        'order_request_item_shipped_within_quantity_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.order_request_item WHERE id = $1`, [order.itemId]),
        await fkRestrictCode(tx),
        'shipment_item_order_request_item_id_fkey',
      );
    });
  });

  it("belong to the shipment's order and the order item's product", async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      const other = await orderFixture(tx);
      const id = await shipment(tx, order);
      await expectSqlError(
        tx,
        () => addShipmentItem(tx, { shipmentId: id, orderRequestItemId: other.itemId, productId: other.productId, quantity: '1' }),
        '23514',
        'shipment_item_matches_order_check',
      );
      await expectSqlError(
        tx,
        () => addShipmentItem(tx, { shipmentId: id, orderRequestItemId: order.itemId, productId: other.productId, quantity: '1' }),
        '23514',
        'shipment_item_matches_order_check',
      );
      const insertWith = (column: string, shipmentId: string) =>
        tx.query(
          `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, ${column}) VALUES ($1, $2, $3, 1, -1)`,
          [shipmentId, order.itemId, order.productId],
        );
      await expectSqlError(tx, () => insertWith('batch_id', id), '23503', 'shipment_item_batch_id_fkey');
      await expectSqlError(tx, () => insertWith('pallet_id', id), '23503', 'shipment_item_pallet_id_fkey');
      await expectSqlError(tx, () => insertWith('movement_id', id), '23503', 'shipment_item_movement_id_fkey');
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES (-1, $1, $2, 1)`,
            [order.itemId, order.productId],
          ),
        '23503',
        'shipment_item_shipment_id_fkey',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES ($1, -1, $2, 1)`,
            [id, order.productId],
          ),
        '23503',
        'shipment_item_order_request_item_id_fkey',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES ($1, $2, -1, 1)`,
            [id, order.itemId],
          ),
        '23503',
        'shipment_item_product_id_fkey',
      );
    });
  });

  it('refuse over-shipping by two shippers at once: the second waits for the first and is refused', async () => {
    const setup = await withClient(pool(), TEST_CLIENTS.A.id, async (tx) => {
      const order = await orderFixture(tx, '5');
      return { order, shipments: [await shipment(tx, order, 'UPS', null), await shipment(tx, order, 'FEDEX', null)] };
    });
    try {
      const first = await pool().connect();
      const second = await pool().connect();
      try {
        await first.query('BEGIN');
        await second.query('BEGIN');
        const item = (shipmentId: string) => [shipmentId, setup.order.itemId, setup.order.productId];
        const sql = `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity) VALUES ($1, $2, $3, 4)`;
        await first.query(sql, item(setup.shipments[0]!));
        const waiting = second.query(sql, item(setup.shipments[1]!)).then(
          () => 'inserted',
          (error: { code?: string; constraint?: string }) => `${error.code} ${error.constraint}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.query('COMMIT');
        expect(await waiting).toBe('23514 order_request_item_shipped_within_quantity_check');
        await second.query('ROLLBACK');
      } finally {
        first.release();
        second.release();
      }
      const { rows } = await pool().query(`SELECT quantity_shipped::text FROM fulfillment.order_request_item WHERE id = $1`, [
        setup.order.itemId,
      ]);
      expect(rows).toEqual([{ quantity_shipped: '4.0000' }]);
    } finally {
      await withClient(pool(), TEST_CLIENTS.A.id, async (tx) => {
        await tx.query(`DELETE FROM fulfillment.shipment WHERE order_request_id = $1`, [setup.order.orderId]);
        await tx.query(`DELETE FROM fulfillment.order_request WHERE id = $1`, [setup.order.orderId]);
      });
    }
  });
});

describe('duplicate webhooks at once', () => {
  it('store the event once when two connections ingest it together', async () => {
    const setup = await withClient(pool(), TEST_CLIENTS.A.id, async (tx) => {
      const order = await orderFixture(tx);
      return { order, shipment: await shipment(tx, order, 'UPS', null) };
    });
    const events = [event(setup.shipment, 'D', '2026-12-01T10:00:00Z', { eventId: 'hook-1' })];
    const results = await Promise.all([0, 1].map(() => withClient(pool(), TEST_CLIENTS.A.id, (tx) => ingestCarrierEvents(tx, events))));
    expect(results.sort()).toEqual([0, 1]);
    const { rows } = await pool().query(
      `SELECT count(*)::int AS n, max(s.status::text) AS status FROM fulfillment.carrier_event e JOIN fulfillment.shipment s ON s.id = e.shipment_id WHERE e.shipment_id = $1`,
      [setup.shipment],
    );
    expect(rows).toEqual([{ n: 1, status: 'DELIVERED' }]);
  });
});

describe('posting a shipment', () => {
  it('issues its items through the ledger once, with reference SHIPMENT, and marks the order shipped', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx, '5');
      await receive(tx, order, 20);
      const id = await shipment(tx, order);
      await addShipmentItem(tx, { shipmentId: id, orderRequestItemId: order.itemId, productId: order.productId, quantity: '5' });
      expect(await postShipment(tx, id)).toBe(1);
      expect(await postShipment(tx, id)).toBe(0);
      const { rows } = await tx.query(
        `SELECT movement_type, quantity::text, reference_id = $1::text AS mine, idempotency_key FROM inventory.stock_movement WHERE reference_type = 'SHIPMENT' AND reference_id = $1::text`,
        [id],
      );
      expect(rows).toEqual([expect.objectContaining({ movement_type: 'ISSUE', quantity: '-5.0000', mine: true })]);
      const level = await tx.query(`SELECT qty_on_hand::text FROM inventory.stock_level WHERE product_id = $1`, [order.productId]);
      expect(level.rows).toEqual([{ qty_on_hand: '15.0000' }]);
      const states = await tx.query(
        `SELECT o.status, s.shipped_at IS NOT NULL AS shipped FROM fulfillment.order_request o JOIN fulfillment.shipment s ON s.order_request_id = o.id WHERE s.id = $1`,
        [id],
      );
      expect(states.rows).toEqual([{ status: 'SHIPPED', shipped: true }]);
      // A posted shipment's items are final.
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.shipment_item WHERE shipment_id = $1`, [id]),
        '23514',
        'shipment_item_shipment_open_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.shipment SET shipped_at = NULL WHERE id = $1`, [id]),
        '23514',
        'shipment_shipped_when_posted_check',
      );
    });
  });

  it('refuses a shipment without items, an unknown one, and a posting the stock cannot cover', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx, '5');
      const id = await shipment(tx, order);
      await expectSqlError(tx, () => tx.query(`SELECT fulfillment.post_shipment($1)`, [id]), '23514', 'shipment_has_items_check');
      await expect(postShipment(tx, '-1')).rejects.toBeInstanceOf(UnknownShipmentError);
      await addShipmentItem(tx, { shipmentId: id, orderRequestItemId: order.itemId, productId: order.productId, quantity: '5' });
      await expect(postShipment(tx, id)).rejects.toMatchObject({ code: '23514' });
      expect(OverShippingError).toBeDefined();
    });
  });
});
