/**
 * Seed step: users of the client and order requests with items to explore after `npm run
 * db:setup`, for each demo client, its quantities scaled by the client's. Idempotent: natural keys
 * (email, order number, order × product) are inserted only when missing.
 */
import type { SeedStep } from './step.ts';

export const fulfillment: SeedStep = {
  name: 'fulfillment demo orders',
  async run(client, demo) {
    await client.query(`
      INSERT INTO fulfillment.app_user (email, name) VALUES
        ('ops@example.test', 'Operations lead'), ('planner@example.test', 'Planner')
      ON CONFLICT (client_id, email) DO NOTHING`);
    await client.query(`
      INSERT INTO fulfillment.order_request (order_number, customer_name, ship_to_address, status, warehouse_id, requested_by_user_id, requested_at)
      SELECT v.number, v.customer, v.address, v.status::fulfillment.order_request_status, w.id, u.id, v.at::timestamptz
        FROM (VALUES
          ('DEMO-ORD-001', 'Seaside Cafe', '12 Beach Road, Cape Town', 'APPROVED', 'JHB', '2026-11-10 08:00+00'),
          ('DEMO-ORD-002', 'Corner Deli', '4 Main Street, Durban', 'SUBMITTED', 'CPT', '2026-11-12 09:30+00')
        ) AS v(number, customer, address, status, warehouse, at)
        JOIN catalog.warehouse w ON w.code = v.warehouse
        JOIN fulfillment.app_user u ON u.email = 'ops@example.test'
      ON CONFLICT (client_id, order_number) DO NOTHING`);
    await client.query(
      `
      INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity)
      SELECT o.id, p.id, v.quantity * $1::numeric
        FROM (VALUES ('DEMO-ORD-001', 'DEMO-001', 10), ('DEMO-ORD-001', 'DEMO-002', 5), ('DEMO-ORD-002', 'DEMO-003', 20)) AS v(number, sku, quantity)
        JOIN fulfillment.order_request o ON o.order_number = v.number
        JOIN catalog.product p ON p.sku = v.sku
      ON CONFLICT (client_id, order_request_id, product_id) DO NOTHING`,
      [demo.scale],
    );
  },
};
