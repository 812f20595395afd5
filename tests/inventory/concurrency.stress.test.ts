/**
 * Concurrent writers on one stock level: the trigger's row lock must serialise them so that no
 * update is lost and every movement is valued against the state the previous one left, and the
 * transfers between two warehouses (locked in warehouse order) must never deadlock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ClientPool, createClientPool, withClient } from '../../src/db/tenancy.ts';
import { postMovement, postTransfer, stockLevel } from '../../src/inventory/ledger.ts';
import { APP_ROLE, pool, withRollback, workerUrlAs } from '../harness/db.ts';
import { strength } from '../harness/stress.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { type LevelState, apply, emptyLevel, formatCost, formatQuantity, formatValue, parseCost, parseFixed, value } from './cost-model.ts';
import { catalogFixture } from './fixtures.ts';

const WRITERS = 8;
const MOVEMENTS_PER_WRITER = strength({ quick: 250, full: 1_000 });

type Fixture = Awaited<ReturnType<typeof catalogFixture>>;

interface LedgerRow {
  movement_type: string;
  quantity: string;
  unit_cost: string | null;
  qty_after: string;
  avg_cost_after: string | null;
  value_after: string | null;
  level_sequence: string;
}

/** One writer, on a connection of its own: receipts at random costs, issues, and now and then a transfer either way. */
async function write(db: ClientPool, f: Fixture): Promise<void> {
  const random = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1));
  for (let i = 0; i < MOVEMENTS_PER_WRITER; i++) {
    const kind = random(0, 9);
    const common = { productId: f.productId, warehouseId: f.warehouseId };
    if (kind < 4)
      await postMovement(db, {
        ...common,
        type: 'RECEIPT',
        quantity: `${random(1, 50)}.${random(0, 9999)}`,
        unitCost: `${random(1, 99)}.${random(0, 999999)}`,
      });
    else if (kind < 9) await postMovement(db, { ...common, type: 'ISSUE', quantity: `-${random(1, 20)}.${random(0, 9999)}` });
    else {
      const [from, to] = random(0, 1) === 0 ? [f.warehouseId, f.otherWarehouseId] : [f.otherWarehouseId, f.warehouseId];
      await withClient(db, TEST_CLIENTS.A.id, (tx) =>
        postTransfer(tx, {
          productId: f.productId,
          fromWarehouseId: from,
          toWarehouseId: to,
          quantity: `${random(1, 5)}.${random(0, 9999)}`,
          transferId: randomUUID(),
        }),
      );
    }
  }
}

async function ledger(db: ClientPool, productId: string, warehouseId: string): Promise<LedgerRow[]> {
  const { rows } = await db.query<LedgerRow>(
    `SELECT movement_type, quantity::text, unit_cost::text, qty_after::text, avg_cost_after::text, value_after::text, level_sequence::text
       FROM inventory.stock_movement m WHERE product_id = $1 AND warehouse_id = $2 ORDER BY m.level_sequence`, // m. orders by the bigint column, not its ::text output
    [productId, warehouseId],
  );
  return rows;
}

/** The level the cost model reaches replaying `rows` in ledger order, checking each recorded state on the way. */
function replayThroughModel(rows: LedgerRow[]): LevelState {
  const level = emptyLevel();
  rows.forEach((row, index) => {
    expect(row.level_sequence).toBe(String(index + 1)); // no gap, no duplicate: no update was lost
    const quantity = parseFixed(row.quantity, 4)!;
    const outcome = apply(level, quantity, quantity > 0n ? parseCost(row.unit_cost) : null);
    expect([index, row.qty_after, row.avg_cost_after, row.value_after]).toEqual([
      index,
      formatQuantity(outcome.qtyAfter),
      formatCost(outcome.avgCostAfter),
      formatValue(outcome.valueAfter),
    ]);
  });
  return level;
}

describe('concurrent writers on one product and warehouse', () => {
  let writers: ClientPool[];
  let f: Fixture;

  beforeAll(async () => {
    // As the application role, working for client A: one single-connection pool per writer.
    writers = Array.from({ length: WRITERS }, (_, i) =>
      createClientPool(workerUrlAs(APP_ROLE), TEST_CLIENTS.A.id, { applicationName: `supply-ledger concurrency test ${i}`, max: 1 }),
    );
    f = await catalogFixture(pool());
    // Enough stock that no issue can run out, whatever the interleaving.
    for (const warehouseId of [f.warehouseId, f.otherWarehouseId]) {
      await postMovement(pool(), { type: 'RECEIPT', productId: f.productId, warehouseId, quantity: 1_000_000, unitCost: '10.00' });
    }
  });

  afterAll(async () => {
    await Promise.all(writers.map((writer) => writer.end()));
  });

  it(
    `${WRITERS} connections x ${MOVEMENTS_PER_WRITER} movements end where a serial replay ends, without deadlock`,
    async () => {
      const outcomes = await Promise.allSettled(writers.map((writer) => write(writer, f)));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);

      for (const warehouseId of [f.warehouseId, f.otherWarehouseId]) {
        const rows = await ledger(pool(), f.productId, warehouseId);
        const modelled = replayThroughModel(rows);
        const level = await stockLevel(pool(), f.productId, warehouseId);
        expect(level).toMatchObject({
          qtyOnHand: formatQuantity(modelled.qty),
          costPrice: formatCost(modelled.cost),
          totalValue: formatValue(value(modelled.qty, modelled.cost)),
          movementCount: String(rows.length),
        });

        // The same movements posted one at a time, in ledger order, on a fresh level.
        await withRollback(async (client) => {
          const serial = await catalogFixture(client);
          for (const row of rows) {
            const inbound = !row.quantity.startsWith('-');
            await postMovement(client, {
              type: inbound ? 'RECEIPT' : 'ISSUE',
              productId: serial.productId,
              warehouseId: serial.warehouseId,
              quantity: row.quantity,
              unitCost: inbound ? row.unit_cost! : undefined,
            });
          }
          const replayed = await stockLevel(client, serial.productId, serial.warehouseId);
          expect(replayed).toMatchObject({ qtyOnHand: level!.qtyOnHand, costPrice: level!.costPrice, totalValue: level!.totalValue });
        });
      }
      const { rows } = await pool().query(`SELECT count(*)::int AS n FROM inventory.stock_movement WHERE product_id = $1`, [f.productId]);
      // Every writer's movements, each transfer as two rows, and the two opening receipts.
      expect(rows[0].n).toBeGreaterThanOrEqual(WRITERS * MOVEMENTS_PER_WRITER + 2);
    },
    strength({ quick: 120_000, full: 600_000 }),
  );
});
