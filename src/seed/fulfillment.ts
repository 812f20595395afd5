/**
 * Seed step: users of the client and order requests with items to explore after `npm run
 * db:setup`, their dashboard layouts and preferences, and shipments: one of flour posted through the ledger and delivered (its carrier
 * events arriving out of order and one twice), one of sourdough loaves from batch DEMO-B-001 on
 * pallet DEMO-PAL-001 in transit, not yet posted. For each demo client, its quantities scaled by the
 * client's. Idempotent: natural keys (email, order number, order × product, tracking number) are
 * inserted only when missing, events are stored once, a posted shipment posts nothing again.
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
        FROM (VALUES ('DEMO-ORD-001', 'DEMO-001', 10), ('DEMO-ORD-001', 'DEMO-002', 5), ('DEMO-ORD-001', 'DEMO-006', 40), ('DEMO-ORD-002', 'DEMO-003', 20))
             AS v(number, sku, quantity)
        JOIN fulfillment.order_request o ON o.order_number = v.number
        JOIN catalog.product p ON p.sku = v.sku
      ON CONFLICT (client_id, order_request_id, product_id) DO NOTHING`,
      [demo.scale],
    );
    await client.query(`
      INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number, tracking_url, estimated_delivery_at)
      SELECT o.id, c.id, v.tracking, replace(c.tracking_url_template, '{tracking_number}', v.tracking), v.eta::timestamptz
        FROM (VALUES ('UPS', 'DEMO-1Z-0001', '2026-11-14 17:00+00'), ('FEDEX', 'DEMO-FX-0002', '2026-11-20 17:00+00')) AS v(carrier, tracking, eta)
        JOIN fulfillment.carrier c ON c.code = v.carrier
        JOIN fulfillment.order_request o ON o.order_number = 'DEMO-ORD-001'
       WHERE NOT EXISTS (SELECT 1 FROM fulfillment.shipment s WHERE s.tracking_number = v.tracking)`);
    await client.query(
      `
      INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, batch_id, pallet_id)
      SELECT s.id, i.id, i.product_id, v.quantity * $1::numeric, b.id, p.id
        FROM (VALUES ('DEMO-1Z-0001', 'DEMO-001', 10, NULL, NULL), ('DEMO-FX-0002', 'DEMO-006', 40, 'DEMO-B-001', 'DEMO-PAL-001'))
             AS v(tracking, sku, quantity, batch, pallet)
        JOIN fulfillment.shipment s ON s.tracking_number = v.tracking
        JOIN catalog.product pr ON pr.sku = v.sku
        JOIN fulfillment.order_request_item i ON i.order_request_id = s.order_request_id AND i.product_id = pr.id
        LEFT JOIN traceability.batch b ON b.batch_number = v.batch
        LEFT JOIN traceability.pallet p ON p.pallet_number = v.pallet
       WHERE NOT EXISTS (SELECT 1 FROM fulfillment.shipment_item x WHERE x.shipment_id = s.id AND x.order_request_item_id = i.id)`,
      [demo.scale],
    );
    await client.query(`SELECT fulfillment.post_shipment(id) FROM fulfillment.shipment WHERE tracking_number = 'DEMO-1Z-0001'`);
    await client.query(`
      SELECT fulfillment.ingest_carrier_events(jsonb_agg(jsonb_build_object('shipment_id', s.id, 'event_id', v.event, 'carrier_status_code', v.code,
                                                                            'description', v.description, 'location', v.location, 'occurred_at', v.at)))
        FROM (VALUES
          ('DEMO-1Z-0001', 'demo-evt-1', 'MP', 'Label created', 'Johannesburg', '2026-11-10T09:00:00+02:00'),
          ('DEMO-1Z-0001', 'demo-evt-3', 'D', 'Delivered, signed by reception', 'Cape Town', '2026-11-13T11:30:00+02:00'),
          ('DEMO-1Z-0001', 'demo-evt-2', 'I', 'Departed facility', 'Johannesburg', '2026-11-11T06:00:00+02:00'),
          ('DEMO-1Z-0001', 'demo-evt-2', 'I', 'Departed facility', 'Johannesburg', '2026-11-11T06:00:00+02:00'),
          ('DEMO-FX-0002', 'demo-evt-4', 'OC', 'Shipment information sent to FedEx', 'Johannesburg', '2026-11-15T08:00:00+02:00'),
          ('DEMO-FX-0002', 'demo-evt-5', 'IT', 'In transit', 'Bloemfontein', '2026-11-16T14:00:00+02:00')
        ) AS v(tracking, event, code, description, location, at)
        JOIN fulfillment.shipment s ON s.tracking_number = v.tracking`);
    await client.query(`
        INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout)
        SELECT u.id, v.name, v.is_default, v.layout::jsonb FROM fulfillment.app_user u
          CROSS JOIN (VALUES
            ('Operations', true, '{"widgets": [{"id": "shipments", "type": "shipment-status", "x": 0, "y": 0, "w": 12, "h": 6},
                                               {"id": "stock", "type": "low-stock", "x": 12, "y": 0, "w": 12, "h": 6}]}'),
            ('Finance', false, '{"widgets": [{"id": "budget", "type": "budget-variance", "x": 0, "y": 0, "w": 24, "h": 8}]}')
          ) AS v(name, is_default, layout)
        ON CONFLICT (client_id, app_user_id, name) DO NOTHING`);
    await client.query(`
        INSERT INTO fulfillment.user_preference (app_user_id, compact_mode, color_scheme)
        SELECT id, true, 'DARK' FROM fulfillment.app_user WHERE email = 'ops@example.test'
        ON CONFLICT (client_id, app_user_id) DO NOTHING`);
  },
};
