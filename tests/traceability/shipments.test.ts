/**
 * Traceability sees shipments (add_shipment_trace_edges): a lot traced forward reaches the shipments
 * that took it away and their customers, a shipment traced backward reaches the supplier's lot, the
 * recall report lists each shipment once, the FSMA export holds the shipping event with its KDEs,
 * the new edges are index lookups at both ends, and another client's shipments never appear. All as
 * the application role, under row-level security.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { ingestCarrierEvents, postShipment } from '../../src/fulfillment/shipments.ts';
import { UnknownCodeError } from '../../src/traceability/errors.ts';
import { renderTree } from '../../src/traceability/render.ts';
import { fsmaExport, recallReport, traceBackward, traceForward } from '../../src/traceability/trace.ts';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { expectSqlError } from '../harness/sql.ts';
import { genealogy } from './fixtures.ts';

type Genealogy = ReturnType<typeof genealogy>;

let orders = 0;

interface Customer {
  name?: string;
  reference?: string | null;
  address?: string | null;
  phone?: string | null;
  gln?: string | null;
}

/** What a shipment carries: a pallet (its share of everything on it), or a batch shipped loose. */
type Carried = { pallet: { id: string }; quantity: number } | { batch: { id: string }; quantity: number };

/**
 * An order of `customer` for the product, shipped from a dispatch warehouse by UPS with the items
 * given, and posted (stock received first, so that the ledger can issue it) unless `post` is false.
 */
async function ship(
  tx: ClientTransaction,
  g: Genealogy,
  productId: string,
  carried: Carried[],
  options: { customer?: Customer; tracking?: string | null; post?: boolean; warehouseId?: string } = {},
) {
  const customer = {
    name: 'Corner Cafe',
    reference: 'CUST-7',
    address: '12 High Street, Springfield',
    phone: '+1 555 0142',
    gln: null,
    ...options.customer,
  };
  const warehouseId = options.warehouseId ?? (await g.warehouse('Dispatch', { address: '3 Dock Road', phone: '+1 555 0177' }));
  const total = carried.reduce((sum, item) => sum + item.quantity, 0);
  const one = async (sql: string, params: unknown[]) => (await tx.query<{ id: string }>(sql, params)).rows[0]!.id;
  const orderId = await one(
    `INSERT INTO fulfillment.order_request (order_number, customer_name, customer_reference, ship_to_address, ship_to_phone, ship_to_gln,
       status, warehouse_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'APPROVED', $7) RETURNING id::text`,
    [g.unique(`ORD${++orders}`), customer.name, customer.reference, customer.address, customer.phone, customer.gln, warehouseId],
  );
  const itemId = await one(
    `INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) VALUES ($1, $2, $3) RETURNING id::text`,
    [orderId, productId, total],
  );
  const tracking = options.tracking === undefined ? g.unique(`1Z${orders}`) : options.tracking;
  const shipmentId = await one(
    `INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number)
     SELECT $1, id, $2 FROM fulfillment.carrier WHERE code = 'UPS' RETURNING id::text`,
    [orderId, tracking],
  );
  for (const item of carried) {
    await tx.query(
      `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, batch_id, pallet_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [shipmentId, itemId, productId, item.quantity, 'batch' in item ? item.batch.id : null, 'pallet' in item ? item.pallet.id : null],
    );
  }
  if (options.post ?? true) {
    await tx.query(
      `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost) VALUES ('RECEIPT', $1, $2, $3, 2)`,
      [productId, warehouseId, total],
    );
    await postShipment(tx, shipmentId);
  }
  return { id: shipmentId, orderId, tracking, code: tracking ?? `SHIPMENT-${shipmentId}`, warehouseId };
}

/** Today in UTC as the database sees it: post_shipment's shipped_at is the transaction's now(). */
async function today(tx: ClientTransaction): Promise<string> {
  return (await tx.query<{ day: string }>(`SELECT (now() AT TIME ZONE 'UTC')::date::text AS day`)).rows[0]!.day;
}

/** lot (60 kg unless told) -> batch (120, 60 of the lot) -> pallet (120): the genealogy most cases ship. */
async function palletOfLot(g: Genealogy, options: { ftl?: boolean; productId?: string; lotQuantity?: number } = {}) {
  const supplier = await g.supplier('Green Valley Farm');
  const lot = await g.lot({ quantity: options.lotQuantity ?? 60, supplierId: supplier, ftl: options.ftl ?? false });
  const batch = await g.batch({ quantity: 120, productId: options.productId ?? null });
  await g.consume(batch, { lot }, 60);
  const pallet = await g.pallet();
  await g.palletise(pallet, batch, 120);
  return { lot, batch, pallet };
}

describe('forward trace and recall reach shipments', () => {
  it('1. a lot traced forward reaches the shipment its pallet left in, with the customer', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const product = await g.product('Cucumber salad');
      const { lot, pallet } = await palletOfLot(g, { productId: product });
      const shipment = await ship(tx, g, product, [{ pallet, quantity: 120 }]);

      const { start, rows } = await traceForward(tx, lot.tlc);
      const reached = rows.filter((row) => row.kind === 'SHIPMENT');
      expect(reached).toEqual([
        expect.objectContaining({
          id: shipment.id,
          code: shipment.tracking,
          depth: 3,
          quantity: '60.0000',
          status: 'PENDING',
          parent: { kind: 'PALLET', id: pallet.id },
          paths: 1,
          shipment: expect.objectContaining({
            customerName: 'Corner Cafe',
            customerReference: 'CUST-7',
            shipToAddress: '12 High Street, Springfield',
            carrierCode: 'UPS',
            trackingNumber: shipment.tracking,
            shippedAt: expect.any(Date),
            deliveredAt: null,
          }),
        }),
      ]);
      expect(rows.filter((row) => row.kind !== 'SHIPMENT').every((row) => row.shipment === null)).toBe(true);
      // The tree a person reads names the shipment under its pallet, and where it went.
      const tree = renderTree(start, rows, 'forward');
      expect(tree.at(-1)).toMatch(
        new RegExp(`└─ shipment ${shipment.tracking!}  60 .*to Corner Cafe \\(12 High Street, Springfield\\) by UPS`),
      );
    });
  });

  it('2. one shipment reached by two paths (a pallet and a loose batch of the same lot) is one node and one recall row', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const product = await g.product();
      const lot = await g.lot({ quantity: 100 });
      const [a, b] = [await g.batch({ quantity: 100 }), await g.batch({ quantity: 100 })];
      await g.consume(a, { lot }, 40);
      await g.consume(b, { lot }, 60);
      const pallet = await g.pallet();
      await g.palletise(pallet, a, 100);
      // The pallet (all of batch a) and half of batch b, loose, in one shipment.
      const shipment = await ship(tx, g, product, [
        { pallet, quantity: 100 },
        { batch: b, quantity: 50 },
      ]);

      const reached = (await traceForward(tx, lot.tlc)).rows.filter((row) => row.kind === 'SHIPMENT');
      // 40 of the lot through the pallet, 60 * 50 / 100 = 30 through the loose batch.
      expect(reached).toEqual([expect.objectContaining({ id: shipment.id, paths: 2, quantity: '70.0000' })]);
      const recall = (await recallReport(tx, lot.tlc)).filter((row) => row.kind === 'SHIPMENT');
      expect(recall.map((row) => [row.id, row.recalledQuantity])).toEqual([[shipment.id, '70.0000']]);
    });
  });

  it('3. the recall report lists each shipment with customer, ship-to, quantity, shipped and delivered times and status', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const product = await g.product();
      const { lot, batch, pallet } = await palletOfLot(g, { lotQuantity: 70 });
      const delivered = await ship(tx, g, product, [{ pallet, quantity: 120 }], { customer: { name: 'Deli One', reference: null } });
      await ingestCarrierEvents(tx, [{ shipmentId: delivered.id, carrierStatusCode: 'D', occurredAt: '2026-03-05T09:30:00Z' }]);
      // A second batch of the lot, loose in a shipment not posted yet: a recall still stops it.
      const rest = await g.batch({ quantity: 10 });
      await g.consume(rest, { lot }, 10);
      const waiting = await ship(tx, g, product, [{ batch: rest, quantity: 10 }], { post: false, tracking: null });

      const report = await recallReport(tx, lot.tlc);
      const shipments = report.filter((row) => row.kind === 'SHIPMENT');
      expect(shipments).toEqual([
        expect.objectContaining({
          depth: 2,
          id: waiting.id,
          code: `SHIPMENT-${waiting.id}`,
          status: 'PENDING',
          recalledQuantity: '10.0000',
          onHand: '0',
          shipment: expect.objectContaining({ customerName: 'Corner Cafe', trackingNumber: null, shippedAt: null, deliveredAt: null }),
        }),
        expect.objectContaining({
          depth: 3,
          id: delivered.id,
          status: 'DELIVERED',
          recalledQuantity: '60.0000',
          onHand: '0',
          shipment: expect.objectContaining({
            customerName: 'Deli One',
            customerReference: null,
            shipToAddress: '12 High Street, Springfield',
            shippedAt: expect.any(Date),
            deliveredAt: new Date('2026-03-05T09:30:00Z'),
          }),
        }),
      ]);
      expect(report.filter((row) => row.kind !== 'SHIPMENT').every((row) => row.shipment === null)).toBe(true);
      expect(report.find((row) => row.kind === 'BATCH' && row.id === batch.id)?.recalledQuantity).toBe('60.0000');
    });
  });

  it('4. a shipment traced backward (by its tracking number or SHIPMENT-<id>) reaches the supplier lot', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const product = await g.product();
      const { lot, batch, pallet } = await palletOfLot(g);
      const shipment = await ship(tx, g, product, [{ pallet, quantity: 60 }]);

      for (const code of [shipment.tracking!, `SHIPMENT-${shipment.id}`]) {
        const { start, rows } = await traceBackward(tx, code);
        expect(start).toEqual({ kind: 'SHIPMENT', id: shipment.id, code: shipment.tracking });
        // Half the pallet left: 60 of the batch, so 30 of the lot.
        expect(rows.map((row) => [row.depth, row.kind, row.id, row.quantity])).toEqual([
          [0, 'SHIPMENT', shipment.id, '60.0000'],
          [1, 'PALLET', pallet.id, '60.0000'],
          [2, 'BATCH', batch.id, '60.0000'],
          [3, 'LOT', lot.id, '30.0000'],
        ]);
        expect(rows.at(-1)!.supplier?.name).toBe('Green Valley Farm');
        expect(rows[0]!.shipment?.customerName).toBe('Corner Cafe');
      }
      await expect(traceForward(tx, shipment.tracking!)).rejects.toBeInstanceOf(UnknownCodeError);
    });
  });
});

describe('the FSMA 204 shipping event', () => {
  it('5. one row per posted shipment and TLC with every shipping KDE; a missing one is named', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const product = await g.product('Cucumber salad');
      const { batch, pallet } = await palletOfLot(g, { ftl: true, productId: product });
      const shipment = await ship(tx, g, product, [{ pallet, quantity: 90 }]);
      const day = await today(tx);

      const rows = await fsmaExport(tx, batch.tlc);
      expect(rows.map((row) => [row.eventType, row.eventRole])).toEqual([
        ['TRANSFORMATION', 'INPUT'],
        ['TRANSFORMATION', 'OUTPUT'],
        ['SHIPPING', null],
      ]);
      expect(rows[2]).toEqual({
        eventId: `SHIPPING-${shipment.id}`,
        eventType: 'SHIPPING',
        eventRole: null,
        traceabilityLotCode: batch.tlc,
        productDescription: 'Cucumber salad',
        quantity: '90.0000',
        unitOfMeasure: 'units',
        eventDate: day,
        locationDescription: 'Dispatch, 3 Dock Road, +1 555 0177',
        previousSourceDescription: null,
        subsequentRecipientDescription: 'Corner Cafe, 12 High Street, Springfield, +1 555 0142',
        tlcSourceDescription: 'Bakery, 5 Oven Street, +1 555 0199',
        tlcSourceReference: null,
        referenceDocumentType: 'BILL_OF_LADING',
        referenceDocumentNumber: shipment.tracking,
        isFtlFood: true,
        missingKdes: [],
      });

      // A recipient known by name only, and no tracking number: named, not hidden. Not posted: no event yet.
      const bare = await ship(tx, g, product, [{ batch, quantity: 10 }], {
        customer: { address: null, phone: null },
        tracking: null,
        warehouseId: shipment.warehouseId,
      });
      const pending = await ship(tx, g, product, [{ batch, quantity: 5 }], { post: false, warehouseId: shipment.warehouseId });
      const shipping = (await fsmaExport(tx, batch.tlc)).filter((row) => row.eventType === 'SHIPPING');
      expect(shipping.map((row) => row.eventId)).toEqual([`SHIPPING-${shipment.id}`, `SHIPPING-${bare.id}`]);
      expect(shipping.map((row) => row.eventId)).not.toContain(`SHIPPING-${pending.id}`);
      expect(shipping[1]).toMatchObject({
        quantity: '10.0000',
        subsequentRecipientDescription: null,
        missingKdes: ['subsequent_recipient_description', 'reference_document_type', 'reference_document_number'],
      });
      // A GLN alone describes the recipient too.
      await tx.query(`UPDATE fulfillment.order_request SET ship_to_gln = '0614141000012' WHERE id = $1`, [bare.orderId]);
      expect((await fsmaExport(tx, batch.tlc)).find((row) => row.eventId === `SHIPPING-${bare.id}`)).toMatchObject({
        subsequentRecipientDescription: 'Corner Cafe, GLN 0614141000012',
        missingKdes: ['reference_document_type', 'reference_document_number'],
      });
      expect(await fsmaExport(tx, batch.tlc, { to: '2026-03-01' })).toEqual([]);
    });
  });

  it('6. refuses a ship-to GLN that is not a GS1 key (23514)', async () => {
    await withRollback(async (tx) => {
      const g = genealogy(tx);
      const batch = await g.batch();
      const shipment = await ship(tx, g, await g.product(), [{ batch, quantity: 1 }], { post: false });
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request SET ship_to_gln = '0614141000013' WHERE id = $1`, [shipment.orderId]),
        '23514',
        'order_request_ship_to_gln_check',
      );
    });
  });
});

describe('tenancy', () => {
  it("7. another client's shipments never appear: not in its traces, recalls, exports, views or code lookups", async () => {
    await withRollback(async (other) => {
      const theirs = genealogy(other);
      const tlc = theirs.unique('TLC-SHARED');
      const theirLot = await theirs.lot({ tlc, quantity: 10 });
      const theirBatch = await theirs.batch({ quantity: 10 });
      await theirs.consume(theirBatch, { lot: theirLot }, 10);
      const theirShipment = await ship(other, theirs, await theirs.product(), [{ batch: theirBatch, quantity: 10 }]);

      await withRollback(async (tx) => {
        const g = genealogy(tx);
        const lot = await g.lot({ tlc, quantity: 10 });
        const batch = await g.batch({ quantity: 10 });
        await g.consume(batch, { lot }, 10);
        const ours = await ship(tx, g, await g.product(), [{ batch, quantity: 10 }]);

        const reached = (await traceForward(tx, tlc)).rows.filter((row) => row.kind === 'SHIPMENT').map((row) => row.id);
        expect(reached).toEqual([ours.id]);
        expect((await recallReport(tx, tlc)).filter((row) => row.kind === 'SHIPMENT').map((row) => row.id)).toEqual([ours.id]);
        const shipping = (await fsmaExport(tx, batch.tlc)).map((row) => row.eventId);
        expect(shipping).toContain(`SHIPPING-${ours.id}`);
        expect(shipping).not.toContain(`SHIPPING-${theirShipment.id}`);
        const { rows } = await tx.query(
          `SELECT count(*)::int AS n FROM traceability.v_trace_node WHERE kind = 'SHIPMENT' AND id = $1
           UNION ALL SELECT count(*)::int FROM traceability.v_trace_edge WHERE to_kind = 'SHIPMENT' AND to_id = $1`,
          [theirShipment.id],
        );
        expect(rows).toEqual([{ n: 0 }, { n: 0 }]);
        await expect(traceBackward(tx, theirShipment.tracking!)).rejects.toBeInstanceOf(UnknownCodeError);
      }, TEST_CLIENTS.A);

      expect((await traceForward(other, tlc)).rows.filter((row) => row.kind === 'SHIPMENT').map((row) => row.id)).toEqual([
        theirShipment.id,
      ]);
    }, TEST_CLIENTS.B);
  });
});

describe('index use', () => {
  it('8. the new edges are index lookups at both ends, client_id leading (EXPLAIN)', async () => {
    // The superuser's transaction for ANALYZE only, as in trace.test.ts; everything else as the application role.
    await withAdminRollback(async (tx) => {
      await tx.query('SET LOCAL ROLE supply_ledger_app');
      const g = genealogy(tx);
      const product = await g.product();
      const { lot, pallet } = await palletOfLot(g, { lotQuantity: 70 });
      const loose = await g.batch({ quantity: 10 });
      await g.consume(loose, { lot }, 5);
      const shipment = await ship(tx, g, product, [
        { pallet, quantity: 10 },
        { batch: loose, quantity: 10 },
      ]);
      // Other shipments of loose batches, one item each, so that the statistics look like a shipper's:
      // many shipments, most items without a pallet (a tie between indexes in a near-empty table
      // would make the plan a coin toss).
      const { rows: batches } = await tx.query<{ id: string }>(
        `INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, actual_quantity, status, quality_status, produced_at)
         SELECT b.production_run_id, b.batch_number || '-' || n, b.tlc || '-' || n, 1, 1, 'COMPLETED', 'PASSED', b.produced_at
           FROM traceability.batch b, generate_series(1, 60) n WHERE b.id = $1
         RETURNING id::text`,
        [loose.id],
      );
      const otherProduct = await g.product();
      const { rows: items } = await tx.query<{ id: string }>(
        `INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity)
         SELECT order_request_id, $2, 60 FROM fulfillment.shipment WHERE id = $1 RETURNING id::text`,
        [shipment.id, otherProduct],
      );
      await tx.query(
        `WITH shipments AS (
           INSERT INTO fulfillment.shipment (order_request_id, carrier_id)
           SELECT s.order_request_id, s.carrier_id FROM fulfillment.shipment s, generate_series(1, 60) WHERE s.id = $1
           RETURNING id),
         numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM shipments)
         INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, batch_id)
         SELECT s.id, $2, $3, 1, b.id FROM numbered s JOIN unnest($4::bigint[]) WITH ORDINALITY AS b (id, n) USING (n)`,
        [shipment.id, items[0]!.id, otherProduct, batches.map((batch) => batch.id)],
      );
      await tx.query('RESET ROLE');
      await tx.query('ANALYZE fulfillment.shipment_item, fulfillment.shipment, traceability.pallet_content, traceability.batch_ingredient');
      await tx.query('SET LOCAL ROLE supply_ledger_app');
      await tx.query('SET LOCAL enable_seqscan = off');
      const plan = async (sql: string, params: unknown[]) =>
        JSON.stringify((await tx.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN']);
      const forward = await plan(`SELECT * FROM traceability.walk_forward('LOT', $1)`, [lot.id]);
      expect(forward).toContain('"Index Name":"shipment_item_client_id_pallet_id_idx"');
      expect(forward).toContain('"Index Name":"shipment_item_client_id_batch_id_idx"');
      expect(forward).toContain('"Index Name":"shipment_pkey"');
      const backward = await plan(`SELECT * FROM traceability.walk_backward('SHIPMENT', $1)`, [shipment.id]);
      expect(backward).toContain('"Index Name":"shipment_item_client_id_shipment_id_idx"');
      expect(backward).toContain('"Index Name":"pallet_content_client_id_pallet_id_batch_id_key"');
      // The walks reach the shipment in fact, not only in the plan.
      expect((await traceForward(tx, lot.tlc)).rows.filter((row) => row.kind === 'SHIPMENT').map((row) => row.paths)).toEqual([2]);
    });
  });
});
