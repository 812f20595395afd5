import type { ClientScoped } from '../../src/db/tenancy.ts';
import { catalogFixture, uniqueSuffix } from '../inventory/fixtures.ts';

/** An order request of the client `db` works for, from a fresh warehouse, with one item of a fresh product. */
export async function orderFixture(db: ClientScoped, quantity = '10', suffix = uniqueSuffix()) {
  const catalog = await catalogFixture(db, suffix);
  const user = await db.query<{ id: string }>(`INSERT INTO fulfillment.app_user (email, name) VALUES ($1, 'Tester') RETURNING id::text`, [
    `user-${suffix}@example.test`,
  ]);
  const order = await db.query<{ id: string }>(
    `INSERT INTO fulfillment.order_request (order_number, customer_name, status, warehouse_id, requested_by_user_id)
     VALUES ($1, 'Test customer', 'APPROVED', $2, $3) RETURNING id::text`,
    [`ORD-${suffix}`, catalog.warehouseId, user.rows[0]!.id],
  );
  const item = await db.query<{ id: string }>(
    `INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) VALUES ($1, $2, $3) RETURNING id::text`,
    [order.rows[0]!.id, catalog.productId, quantity],
  );
  return { ...catalog, suffix, userId: user.rows[0]!.id, orderId: order.rows[0]!.id, itemId: item.rows[0]!.id };
}
