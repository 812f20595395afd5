/**
 * The fulfillment baseline (add_fulfillment_baseline): users, order requests and their items,
 * each rule broken on purpose by SQLSTATE and constraint name.
 */
import { describe, expect, it } from '@jest/globals';
import { withRollback } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { orderFixture } from './fixtures.ts';

describe('fulfillment baseline', () => {
  it('refuses an item of zero or negative quantity', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request_item SET quantity = 0 WHERE id = $1`, [order.itemId]),
        '23514',
        'order_request_item_quantity_positive_check',
      );
    });
  });

  it('refuses a user email that is no address, and a second user with the same email whatever the case', async () => {
    await withRollback(async (tx) => {
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.app_user (email, name) VALUES ('not an email', 'x')`),
        '23514',
        'app_user_email_shape_check',
      );
      await tx.query(`INSERT INTO fulfillment.app_user (email, name) VALUES ('Same@Example.test', 'x')`);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.app_user (email, name) VALUES ('same@example.TEST', 'y')`),
        '23505',
        'app_user_client_id_email_key',
      );
    });
  });

  it('refuses dangling references and keeps what orders refer to', async () => {
    await withRollback(async (tx) => {
      const order = await orderFixture(tx);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.order_request (order_number, customer_name, warehouse_id) VALUES ('X', 'x', -1)`),
        '23503',
        'order_request_warehouse_id_fkey',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request SET requested_by_user_id = -1 WHERE id = $1`, [order.orderId]),
        '23503',
        'order_request_requested_by_user_id_fkey',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) VALUES (-1, $1, 1)`, [
            order.productId,
          ]),
        '23503',
        'order_request_item_order_request_id_fkey',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.order_request_item SET product_id = -1 WHERE id = $1`, [order.itemId]),
        '23503',
        'order_request_item_product_id_fkey',
      );
      const restrict = await fkRestrictCode(tx);
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM catalog.product WHERE id = $1`, [order.productId]),
        restrict,
        'order_request_item_product_id_fkey',
      );
      await expectSqlError(
        tx,
        () => tx.query(`DELETE FROM fulfillment.app_user WHERE id = $1`, [order.userId]),
        restrict,
        'order_request_requested_by_user_id_fkey',
      );
      // Items go with their order.
      await tx.query(`DELETE FROM fulfillment.order_request WHERE id = $1`, [order.orderId]);
      const { rows } = await tx.query(`SELECT 1 FROM fulfillment.order_request_item WHERE id = $1`, [order.itemId]);
      expect(rows).toEqual([]);
    });
  });
});
