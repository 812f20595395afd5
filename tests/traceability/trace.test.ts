/**
 * The ten cases a recall depends on (fan-out, fan-in, rework, shared pallets, cycles, recall
 * status, conservation, time rules, FSMA 204 records, index use; docs/design/traceability.md#trace),
 * through the TypeScript API and the SQL functions it wraps (traceability.trace_forward, trace_backward, report_recall, export_fsma_records).
 * Shipments in the trace: tests/traceability/shipments.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { fsmaExport, recallReport, traceBackward, traceForward } from '../../src/traceability/trace.ts';
import { pool, withAdminRollback, withRollback } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { expectSqlError } from '../harness/sql.ts';
import { at, genealogy } from './fixtures.ts';

/** Trace rows as `KIND id quantity`, sorted: what a client's trace found, whatever the order of equal depths. */
const nodes = (rows: { kind: string; id: string; quantity: string | null }[]) => rows.map((r) => `${r.kind} ${r.id} ${r.quantity}`).sort();

describe('forward and backward trace', () => {
  it('1. fan-out: one lot into 3 batches onto 5 pallets in 5 warehouses, with prorated quantities', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quantity: 90 });
      const batches = [await g.batch({ quantity: 100 }), await g.batch({ quantity: 100 }), await g.batch({ quantity: 50 })];
      for (const batch of batches) await g.consume(batch, { lot }, 30);
      const pallets = [];
      for (let i = 0; i < 5; i++) {
        const pallet = await g.pallet({ warehouseId: await g.warehouse(`DC ${i}`) });
        await g.palletise(pallet, batches[i % 3]!, 50);
        pallets.push(pallet);
      }

      const { rows } = await traceForward(client, lot.tlc);
      expect(rows.filter((r) => r.kind === 'BATCH').map((r) => [r.depth, r.quantity])).toEqual([
        [1, '30.0000'],
        [1, '30.0000'],
        [1, '30.0000'],
      ]);
      // 30 of the lot in 100 of a batch: a pallet of 50 holds 15 of it; in the 50-unit batch, 30.
      expect(
        rows
          .filter((r) => r.kind === 'PALLET')
          .map((r) => r.quantity)
          .sort(),
      ).toEqual(['15.0000', '15.0000', '15.0000', '15.0000', '30.0000']);
      expect(rows.filter((r) => r.kind === 'PALLET').every((r) => r.depth === 2 && r.parent?.kind === 'BATCH')).toBe(true);
      const report = await recallReport(client, lot.tlc);
      expect(new Set(report.filter((r) => r.kind === 'PALLET').map((r) => r.warehouseCode)).size).toBe(5);
    });
  });

  it('2. fan-in: 3 lots from 2 suppliers into one batch; backward finds both suppliers and all 3 TLCs', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const [north, south] = [await g.supplier('North Mill'), await g.supplier('South Farm')];
      const lots = [await g.lot({ supplierId: north }), await g.lot({ supplierId: north }), await g.lot({ supplierId: south })];
      const batch = await g.batch({ quantity: 60 });
      for (const lot of lots) await g.consume(batch, { lot }, 20);

      const { rows } = await traceBackward(client, batch.batchNumber);
      const found = rows.filter((r) => r.kind === 'LOT');
      expect(found.map((r) => r.code).sort()).toEqual(lots.map((l) => l.tlc).sort());
      expect([...new Set(found.map((r) => r.supplier?.name))].sort()).toEqual(['North Mill', 'South Farm']);
      expect(found.every((r) => r.depth === 1 && r.quantity === '20.0000')).toBe(true);
    });
  });

  it('3. rework two levels deep: lot -> batch -> rework batch -> pallet is found forward, and the lot backward', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quantity: 50 });
      const first = await g.batch({ quantity: 100, producedHour: 6 });
      const rework = await g.batch({ quantity: 40, producedHour: 12 });
      await g.consume(first, { lot }, 50, 2);
      await g.consume(rework, { batch: first }, 20, 8);
      const pallet = await g.pallet();
      await g.palletise(pallet, rework, 40);

      const forward = await traceForward(client, lot.tlc);
      expect(forward.rows.map((r) => [r.depth, r.kind, r.quantity])).toEqual([
        [0, 'LOT', '50.0000'],
        [1, 'BATCH', '50.0000'],
        [2, 'BATCH', '10.0000'], // 20 of the first batch's 100, which holds 50 of the lot
        [3, 'PALLET', '10.0000'],
      ]);
      const backward = await traceBackward(client, pallet.palletNumber);
      expect(backward.rows.map((r) => [r.depth, r.kind, r.code])).toEqual([
        [0, 'PALLET', pallet.palletNumber],
        [1, 'BATCH', rework.batchNumber],
        [2, 'BATCH', first.batchNumber],
        [3, 'LOT', lot.tlc],
      ]);
    });
  });

  it('4. two batches of one lot on one pallet: the pallet appears once, reached by two paths, quantities added', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quantity: 100 });
      const [a, b] = [await g.batch({ quantity: 100 }), await g.batch({ quantity: 100 })];
      await g.consume(a, { lot }, 40);
      await g.consume(b, { lot }, 60);
      const pallet = await g.pallet();
      await g.palletise(pallet, a, 50);
      await g.palletise(pallet, b, 50);

      const pallets = (await traceForward(client, lot.tlc)).rows.filter((r) => r.kind === 'PALLET');
      expect(pallets).toEqual([expect.objectContaining({ id: pallet.id, paths: 2, quantity: '50.0000', cycle: false })]);
    });
  });

  it('5. an artificial cycle stops the walk and is reported', async () => {
    // The superuser's transaction, for the one statement the application role may not issue
    // (session_replication_role); everything else runs as the application role (SET LOCAL ROLE).
    await withAdminRollback(async (client) => {
      await client.query('SET LOCAL ROLE supply_ledger_app');
      const g = genealogy(client);
      const lot = await g.lot();
      const [a, b] = [await g.batch({ producedHour: 6 }), await g.batch({ producedHour: 12 })];
      await g.consume(a, { lot }, 10, 2);
      await g.consume(b, { batch: a }, 10, 8);
      // The consumption trigger refuses it (a batch takes inputs before it is completed)...
      await expectSqlError(client, () => g.consume(a, { batch: b }, 10, 13), '23514', 'batch_ingredient_input_time_check');
      // ... so the cycle is made behind the triggers' back, by the superuser.
      await client.query('RESET ROLE');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(
        `INSERT INTO traceability.batch_ingredient (batch_id, input_batch_id, quantity_used, consumed_at) VALUES ($1, $2, 10, now())`,
        [a.id, b.id],
      );
      await client.query('SET LOCAL session_replication_role = origin');
      await client.query('SET LOCAL ROLE supply_ledger_app');

      const { rows } = await traceForward(client, lot.tlc);
      expect(rows.map((r) => [r.kind, r.id, r.cycle])).toEqual([
        ['LOT', lot.id, false],
        ['BATCH', a.id, true],
        ['BATCH', b.id, false],
      ]);
    });
  });

  it("the same TLC in another client is another lot: each client traces its own genealogy, never the other's", async () => {
    await withRollback(async (other) => {
      const theirs = genealogy(other);
      const tlc = theirs.unique('TLC-SHARED');
      const theirLot = await theirs.lot({ tlc, quantity: 10 });
      const theirBatch = await theirs.batch({ quantity: 10 });
      await theirs.consume(theirBatch, { lot: theirLot }, 10);

      await withRollback(async (client) => {
        const g = genealogy(client);
        const lot = await g.lot({ tlc, quantity: 100 });
        const batches = [await g.batch({ quantity: 100 }), await g.batch({ quantity: 100 })];
        for (const batch of batches) await g.consume(batch, { lot }, 40);

        const ours = await traceForward(client, tlc);
        expect(ours.start).toEqual({ kind: 'LOT', id: lot.id, code: tlc });
        expect(nodes(ours.rows)).toEqual([`LOT ${lot.id} 100.0000`, ...batches.map((batch) => `BATCH ${batch.id} 40.0000`)].sort());
        expect((await recallReport(client, tlc)).map((r) => r.id)).toEqual(expect.not.arrayContaining([theirLot.id, theirBatch.id]));
        const events = (await fsmaExport(client, tlc)).map((r) => r.eventId);
        expect(events).toContain(`RECEIVING-${lot.id}`);
        expect(events).not.toContain(`RECEIVING-${theirLot.id}`);
      }, TEST_CLIENTS.A);

      const mine = await traceForward(other, tlc);
      expect(nodes(mine.rows)).toEqual([`BATCH ${theirBatch.id} 10.0000`, `LOT ${theirLot.id} 10.0000`]);
    }, TEST_CLIENTS.B);
  });
});

describe('recall', () => {
  it('6. a RECALLED lot shows what is still on hand per warehouse, and cannot be consumed any more', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quantity: 100 });
      const batch = await g.batch({ quantity: 200 });
      await g.consume(batch, { lot }, 80);
      const [stored, shipped] = [
        await g.pallet({ warehouseId: await g.warehouse('North DC') }),
        await g.pallet({ warehouseId: await g.warehouse('South DC') }),
      ];
      await g.palletise(stored, batch, 100);
      await g.palletise(shipped, batch, 60);
      await client.query(`UPDATE traceability.pallet SET status = 'SHIPPED' WHERE id = $1`, [shipped.id]);
      await client.query(`UPDATE traceability.ingredient_lot SET quality_status = 'RECALLED' WHERE id = $1`, [lot.id]);

      const report = await recallReport(client, lot.tlc);
      expect(report.map((r) => [r.kind, r.qualityStatus ?? r.status, r.onHand, r.recalledQuantity])).toEqual([
        ['LOT', 'RECALLED', '20.0000', '100.0000'],
        ['BATCH', 'PASSED', '40.0000', '80.0000'], // 200 made, 160 palletised
        ['PALLET', 'STORED', '100.0000', '40.0000'],
        ['PALLET', 'SHIPPED', '0', '24.0000'],
      ]);
      const another = await g.batch();
      await expectSqlError(client, () => g.consume(another, { lot }, 1), '23514', 'batch_ingredient_input_released_check');
    });
  });
});

describe('conservation and time', () => {
  it('7. a lot is consumed exactly to its received quantity, never beyond', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quantity: 25 });
      const [a, b] = [await g.batch(), await g.batch()];
      await g.consume(a, { lot }, 10);
      await expectSqlError(client, () => g.consume(b, { lot }, 15.0001), '23514', 'ingredient_lot_consumption_check');
      await g.consume(b, { lot }, 15);
      const { rows } = await client.query('SELECT consumed_quantity::text, status FROM traceability.ingredient_lot WHERE id = $1', [
        lot.id,
      ]);
      expect(rows[0]).toEqual({ consumed_quantity: '25.0000', status: 'DEPLETED' });
    });
  });

  it('7. ... also when 8 connections consume the same lot at once', async () => {
    const g = genealogy(pool());
    const lot = await g.lot({ quantity: 100 });
    const batches: { id: string }[] = [];
    for (let i = 0; i < 8; i++) batches.push(await g.batch());
    // Eight connections of the application role's pool, each working for client A.
    const clients = await Promise.all(batches.map(() => pool().connect()));
    try {
      // 8 x 5 rounds x 3 kg asked for, 120 kg: exactly 33 takes of 3 kg fit in 100 kg.
      const takes = await Promise.all(
        clients.map(async (client, i) => {
          let taken = 0;
          for (let round = 0; round < 5; round++) {
            try {
              await client.query(
                `INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at) VALUES ($1, $2, 3, $3)
                 ON CONFLICT (client_id, batch_id, ingredient_lot_id) DO UPDATE SET quantity_used = batch_ingredient.quantity_used + 3`,
                [batches[i]!.id, lot.id, at(5)],
              );
              taken += 3;
            } catch (error) {
              expect((error as { code?: string }).code).toBe('23514');
            }
          }
          return taken;
        }),
      );
      const { rows } = await pool().query(
        `SELECT consumed_quantity::text, (SELECT sum(quantity_used) FROM traceability.batch_ingredient WHERE ingredient_lot_id = $1)::text AS used
           FROM traceability.ingredient_lot WHERE id = $1`,
        [lot.id],
      );
      expect(takes.reduce((a, b) => a + b)).toBe(99);
      expect(rows[0]).toEqual({ consumed_quantity: '99.0000', used: '99.0000' });
    } finally {
      for (const client of clients) client.release();
    }
  });

  it('8. nothing is consumed before it was received or produced, after it expired, or after the consuming batch was completed', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ receivedHour: 4, expiry: '2026-03-05' });
      const early = await g.batch({ producedHour: 10 });
      const late = await g.batch({ producedHour: 24 * 5 });
      const tooEarly = () => g.consume(early, { lot }, 1, 3);
      await expectSqlError(client, tooEarly, '23514', 'batch_ingredient_input_time_check');
      await expectSqlError(client, () => g.consume(early, { lot }, 1, 11), '23514', 'batch_ingredient_input_time_check');
      await expectSqlError(client, () => g.consume(late, { lot }, 1, 24 * 4), '23514', 'batch_ingredient_input_time_check');
      await expectSqlError(client, () => g.consume(late, { batch: early }, 1, 9), '23514', 'batch_ingredient_input_time_check');
      await g.consume(early, { lot }, 1, 4);
      await g.consume(late, { batch: early }, 1, 10);
    });
  });
});

describe('FSMA 204 export', () => {
  it('9. one row per critical tracking event with every required KDE, and the missing ones named', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const product = await g.product('Cucumber salad');
      const cucumber = await g.lot({ quantity: 40, ftl: true, receivedHour: 1 });
      const flour = await g.lot({ quantity: 500, receivedHour: 2, reference: null, tlcSource: null });
      const salad = await g.batch({ quantity: 80, productId: product });
      await g.consume(salad, { lot: cucumber }, 30);
      await g.consume(salad, { lot: flour }, 10);

      const rows = await fsmaExport(client, cucumber.tlc);
      expect(rows.map((r) => [r.eventType, r.eventRole, r.traceabilityLotCode])).toEqual([
        ['RECEIVING', null, cucumber.tlc],
        ['TRANSFORMATION', 'INPUT', cucumber.tlc],
        ['TRANSFORMATION', 'INPUT', flour.tlc],
        ['TRANSFORMATION', 'OUTPUT', salad.tlc],
      ]);
      expect(rows.every((r) => r.isFtlFood === (r.traceabilityLotCode !== flour.tlc))).toBe(true);
      expect(rows.map((r) => r.missingKdes)).toEqual([[], [], [], []]);
      const [receiving, , , output] = rows;
      expect(receiving).toMatchObject({
        quantity: '40.0000',
        unitOfMeasure: 'kg',
        eventDate: '2026-03-02',
        referenceDocumentType: 'INVOICE',
      });
      expect(receiving!.locationDescription).toMatch(/^Bakery, 5 Oven Street, \+1 555 0199$/);
      expect(receiving!.previousSourceDescription).toMatch(/^Supplier, 1 Mill Road, \+1 555 0100$/);
      expect(output).toMatchObject({
        productDescription: 'Cucumber salad',
        quantity: '80.0000',
        referenceDocumentType: 'PRODUCTION_RECORD',
        referenceDocumentNumber: salad.batchNumber,
      });
      expect(output!.tlcSourceDescription).toBe(output!.locationDescription);
      expect(new Set(rows.slice(1).map((r) => r.eventId)).size).toBe(1);

      // An FTL lot received somewhere without an address and phone, with no document: named, not hidden.
      const bare = await g.lot({
        ftl: true,
        warehouseId: await g.warehouse('Yard', { address: null, phone: null }),
        reference: null,
        tlcSource: null,
        receivedHour: 3,
      });
      expect((await fsmaExport(client, bare.tlc))[0]!.missingKdes).toEqual([
        'location_description',
        'tlc_source_description',
        'reference_document_type',
        'reference_document_number',
      ]);
      expect(await fsmaExport(client, cucumber.tlc, { from: '2026-03-03' })).toEqual([]);
    });
  });
});

describe('index use', () => {
  it('10. the walks behind trace_forward and trace_backward look up both ends of each edge by index (EXPLAIN)', async () => {
    // The superuser's transaction, for ANALYZE only (the application role may not): without
    // statistics the planner cannot know that client_id has few values and takes any index that
    // leads with it. Everything else runs as the application role.
    await withAdminRollback(async (client) => {
      await client.query('SET LOCAL ROLE supply_ledger_app');
      const g = genealogy(client);
      const lot = await g.lot();
      const [a, b] = [await g.batch({ producedHour: 6 }), await g.batch({ producedHour: 12 })];
      await g.consume(a, { lot }, 10, 2);
      await g.consume(b, { batch: a }, 10, 8);
      await client.query('RESET ROLE');
      await client.query('ANALYZE traceability.batch_ingredient, traceability.pallet_content');
      await client.query('SET LOCAL ROLE supply_ledger_app');
      // As seed 003's "Analyze Query Performance" does: a test database is too small for the planner to prefer indexes.
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = async (sql: string, params: unknown[]) =>
        JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN']);
      const forward = await plan(`SELECT * FROM traceability.walk_forward('LOT', $1)`, [lot.id]);
      expect(forward).toContain('"Index Name":"batch_ingredient_ingredient_lot_id_idx"');
      expect(forward).toContain('"Index Name":"batch_ingredient_input_batch_id_idx"');
      expect(forward).toContain('"Index Name":"pallet_content_batch_id_idx"');
      const backward = await plan(`SELECT * FROM traceability.walk_backward('BATCH', $1)`, [b.id]);
      expect(backward).toContain('"Index Name":"batch_ingredient_client_id_batch_id_ingredient_lot_id_key"');
      expect(backward).toContain('"Index Name":"batch_ingredient_client_id_batch_id_input_batch_id_key"');
      expect(backward).toContain('"Index Name":"pallet_content_client_id_pallet_id_batch_id_key"');
    });
  });
});
