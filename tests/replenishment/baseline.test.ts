/**
 * The relief baseline's rules (create_relief_baseline) broken on purpose, by SQLSTATE and
 * constraint name, as the application role.
 */
import { describe, it } from '@jest/globals';
import { withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { reliefWorld } from './fixtures.ts';

describe('relief baseline CHECK constraints', () => {
  it.each<[string, string, (w: Awaited<ReturnType<typeof reliefWorld>>) => unknown[]]>([
    ['event_status_check', `UPDATE replenishment.event SET status = 'OPEN' WHERE id = $1`, (w) => [w.event]],
    [
      'event_ended_after_start_check',
      `UPDATE replenishment.event SET ended_at = started_at - interval '1 hour' WHERE id = $1`,
      (w) => [w.event],
    ],
    [
      'transfer_distinct_warehouses_check',
      `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id) VALUES ('SAME', $1, $1)`,
      (w) => [w.warehouses[0]],
    ],
    [
      'transfer_status_check',
      `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id, status) VALUES ('ST', $1, $2, 'LOST')`,
      (w) => [w.warehouses[0], w.warehouses[1]],
    ],
    [
      'transfer_item_quantity_positive_check',
      `WITH t AS (INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id) VALUES ('Q0', $1, $2) RETURNING id)
       INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity) SELECT id, $3, 0 FROM t`,
      (w) => [w.warehouses[0], w.warehouses[1], w.products[0]],
    ],
    ['donation_status_check', `INSERT INTO replenishment.donation (donation_no, donor_name, status) VALUES ('D', 'x', 'MAYBE')`, () => []],
    [
      'donation_item_quantity_positive_check',
      `WITH d AS (INSERT INTO replenishment.donation (donation_no, donor_name) VALUES ('D0', 'x') RETURNING id)
       INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) SELECT id, $1, 0 FROM d`,
      (w) => [w.products[0]],
    ],
    [
      'donation_item_received_check',
      `WITH d AS (INSERT INTO replenishment.donation (donation_no, donor_name) VALUES ('D1', 'x') RETURNING id)
       INSERT INTO replenishment.donation_item (donation_id, product_id, quantity, received_qty) SELECT id, $1, 5, 6 FROM d`,
      (w) => [w.products[0]],
    ],
  ])('%s refuses a broken row (23514)', async (constraint, sql, params) => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      await expectSqlError(tx, () => tx.query(sql, params(w)), '23514', constraint);
    });
  });
});
