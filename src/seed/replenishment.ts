/**
 * Seed step: a relief event to plan for after `npm run db:setup` (seed 001, issue 12): the event
 * DEMO-FLOOD served by the three demo warehouses, relief settings for the relief products, a
 * transfer of gloves from Cape Town to Durban and a donation of oral rehydration salts for Durban.
 * For each demo client, its quantities scaled. Idempotent: every row has a natural key and is
 * inserted only when missing.
 */
import type { SeedStep } from './step.ts';

export const replenishment: SeedStep = {
  name: 'relief event demo data',
  async run(client, demo) {
    const scale = [demo.scale];
    await client.query(`
      INSERT INTO replenishment.event (code, name, event_type, started_at)
      VALUES ('DEMO-FLOOD', 'KwaZulu-Natal floods (demo)', 'FLOOD', '2026-11-28 06:00+00')
      ON CONFLICT (client_id, code) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.warehouse_setting (warehouse_id, event_id)
      SELECT w.id, e.id FROM catalog.warehouse w, replenishment.event e
       WHERE w.code IN ('JHB', 'CPT', 'DBN') AND e.code = 'DEMO-FLOOD'
      ON CONFLICT (client_id, warehouse_id) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.item_setting (product_id, category)
      SELECT p.id, v.category FROM (VALUES ('DEMO-003', 'HEALTH'), ('DEMO-004', 'HEALTH'), ('DEMO-005', 'WATER')) AS v(sku, category)
        JOIN catalog.product p ON p.sku = v.sku
      ON CONFLICT (client_id, product_id) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id)
      SELECT 'DEMO-TR-001', e.id, f.id, t.id FROM replenishment.event e, catalog.warehouse f, catalog.warehouse t
       WHERE e.code = 'DEMO-FLOOD' AND f.code = 'CPT' AND t.code = 'DBN'
      ON CONFLICT (client_id, transfer_no) DO NOTHING`);
    await client.query(
      `
      INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity)
      SELECT t.id, p.id, 40 * $1::numeric FROM replenishment.transfer t, catalog.product p
       WHERE t.transfer_no = 'DEMO-TR-001' AND p.sku = 'DEMO-003'
      ON CONFLICT (client_id, transfer_id, product_id) DO NOTHING`,
      scale,
    );
    await client.query(`
      INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
      SELECT 'DEMO-DN-001', e.id, w.id, 'Red Cross (demo)', 'CONFIRMED', '2026-12-02 12:00+00'
        FROM replenishment.event e, catalog.warehouse w WHERE e.code = 'DEMO-FLOOD' AND w.code = 'DBN'
      ON CONFLICT (client_id, donation_no) DO NOTHING`);
    await client.query(
      `
      INSERT INTO replenishment.donation_item (donation_id, product_id, quantity)
      SELECT d.id, p.id, 500 * $1::numeric FROM replenishment.donation d, catalog.product p
       WHERE d.donation_no = 'DEMO-DN-001' AND p.sku = 'DEMO-004'
      ON CONFLICT (client_id, donation_id, product_id) DO NOTHING`,
      scale,
    );
  },
};
