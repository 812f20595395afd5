/**
 * Seed step: a small lot genealogy to trace after `npm run db:setup`: three ingredient lots (one on
 * the FDA Food Traceability List), a sourdough batch made from them, a rework batch that used part
 * of it, and a pallet with an SSCC. Then for example:
 *   npx supply-ledger trace forward DEMO-TLC-EGG-001
 *   npx supply-ledger trace backward DEMO-PAL-001
 *   npx supply-ledger trace fsma DEMO-TLC-EGG-001
 * For each demo client, with the client's own quantities (scaled). Idempotent: every row has a
 * natural key and is inserted only when missing.
 */
import type { SeedStep } from './step.ts';

export const traceability: SeedStep = {
  name: 'traceability demo genealogy',
  async run(client, demo) {
    const scale = [demo.scale];
    await client.query(`
      INSERT INTO traceability.ingredient (name, type, unit_of_measure, is_ftl_food) VALUES
        ('Bread flour', 'FLOUR', 'kg', false), ('Sea salt', 'SALT', 'kg', false), ('Shell eggs', 'EGG', 'EA', true)
      ON CONFLICT (client_id, name) DO NOTHING`);
    await client.query(
      `
      INSERT INTO traceability.ingredient_lot
        (ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, tlc_source_location, received_quantity, unit_of_measure, received_at,
         expiry_date, quality_status, reference_document_type, reference_document_number)
      SELECT i.id, s.id, w.id, v.code, v.tlc, v.source, v.quantity * $1::numeric, i.unit_of_measure, v.received::timestamptz, v.expiry::date, 'PASSED', 'INVOICE', v.invoice
        FROM (VALUES
          ('Bread flour', 'VM-2611', 'DEMO-TLC-FLOUR-001', 'Valley Mill, 1 Mill Road, Paarl, +27 21 555 0101', 1000, '2026-11-02 07:00+00', '2027-05-01', 'INV-9001'),
          ('Sea salt', 'SS-88', 'DEMO-TLC-SALT-001', 'Salt Works, 3 Pan Road, Velddrif, +27 22 555 0102', 50, '2026-11-02 07:30+00', NULL, 'INV-9002'),
          ('Shell eggs', 'EG-1102', 'DEMO-TLC-EGG-001', 'Happy Hens, 7 Farm Road, Stellenbosch, +27 21 555 0103', 720, '2026-11-03 06:00+00', '2026-11-30', 'INV-9003')
        ) AS v(ingredient, code, tlc, source, quantity, received, expiry, invoice)
        JOIN traceability.ingredient i ON i.name = v.ingredient
        JOIN catalog.supplier s ON s.code = 'DEMO-SUP'
        JOIN catalog.warehouse w ON w.code = 'JHB'
      ON CONFLICT (client_id, tlc) DO NOTHING`,
      scale,
    );
    await client.query(`
      INSERT INTO traceability.recipe (name, product_id, version, is_active, yield_quantity, unit_of_measure, created_by)
      SELECT 'Sourdough loaf (demo)', p.id, 1, false, 400, 'loaves', 'seed' FROM catalog.product p
       WHERE p.sku = 'DEMO-006' AND NOT EXISTS (SELECT 1 FROM traceability.recipe WHERE name = 'Sourdough loaf (demo)')`);
    await client.query(
      `
      INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure)
      SELECT r.id, i.id, v.per_unit, i.unit_of_measure
        FROM (VALUES ('Bread flour', 0.55), ('Sea salt', 0.01), ('Shell eggs', 0.3)) AS v(ingredient, per_unit)
        JOIN traceability.ingredient i ON i.name = v.ingredient
        JOIN traceability.recipe r ON r.name = 'Sourdough loaf (demo)'
      ON CONFLICT (client_id, recipe_id, ingredient_id) DO NOTHING`,
    );
    await client.query(`
      INSERT INTO traceability.production_run (recipe_id, warehouse_id, status, actual_start_time, actual_end_time, notes)
      SELECT r.id, w.id, 'COMPLETED', v.started::timestamptz, v.ended::timestamptz, v.note
        FROM (VALUES ('2026-11-04 03:00+00', '2026-11-04 06:00+00', 'demo run 1'), ('2026-11-04 09:00+00', '2026-11-04 10:00+00', 'demo rework'))
             AS v(started, ended, note)
        JOIN traceability.recipe r ON r.name = 'Sourdough loaf (demo)'
        JOIN catalog.warehouse w ON w.code = 'JHB'
       WHERE NOT EXISTS (SELECT 1 FROM traceability.production_run p WHERE p.notes = v.note)`);
    await client.query(
      `
      INSERT INTO traceability.batch (production_run_id, product_id, batch_number, tlc, planned_quantity, actual_quantity, unit_of_measure, status, quality_status, produced_at, expiry_date)
      SELECT p.id, r.product_id, v.number, v.tlc, v.quantity * $1::numeric, v.quantity * $1::numeric, 'loaves', 'COMPLETED', 'PASSED', p.actual_end_time, '2026-11-08'
        FROM (VALUES ('demo run 1', 'DEMO-B-001', 'DEMO-TLC-B-001', 400), ('demo rework', 'DEMO-B-002', 'DEMO-TLC-B-002', 60)) AS v(note, number, tlc, quantity)
        JOIN traceability.production_run p ON p.notes = v.note
        JOIN traceability.recipe r ON r.id = p.recipe_id
      ON CONFLICT (client_id, batch_number) DO NOTHING`,
      scale,
    );
    await client.query(
      `
      INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at)
      SELECT b.id, l.id, v.quantity * $1::numeric, '2026-11-04 03:30+00'
        FROM (VALUES ('DEMO-TLC-FLOUR-001', 220), ('DEMO-TLC-SALT-001', 4), ('DEMO-TLC-EGG-001', 120)) AS v(tlc, quantity)
        JOIN traceability.ingredient_lot l ON l.tlc = v.tlc
        JOIN traceability.batch b ON b.batch_number = 'DEMO-B-001'
      ON CONFLICT (client_id, batch_id, ingredient_lot_id) DO NOTHING`,
      scale,
    );
    await client.query(
      `
      INSERT INTO traceability.batch_ingredient (batch_id, input_batch_id, quantity_used, consumed_at)
      SELECT rework.id, b.id, 50 * $1::numeric, '2026-11-04 09:30+00'
        FROM traceability.batch rework, traceability.batch b WHERE rework.batch_number = 'DEMO-B-002' AND b.batch_number = 'DEMO-B-001'
      ON CONFLICT (client_id, batch_id, input_batch_id) DO NOTHING`,
      scale,
    );
    await client.query(`
      INSERT INTO traceability.pallet (pallet_number, sscc, warehouse_id, production_run_id, status)
      SELECT 'DEMO-PAL-001', '106141411234567897', w.id, p.id, 'STORED' FROM catalog.warehouse w, traceability.production_run p
       WHERE w.code = 'JHB' AND p.notes = 'demo run 1'
      ON CONFLICT (client_id, pallet_number) DO NOTHING`);
    await client.query(
      `
      INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity)
      SELECT p.id, b.id, v.quantity * $1::numeric
        FROM (VALUES ('DEMO-B-001', 300), ('DEMO-B-002', 60)) AS v(number, quantity)
        JOIN traceability.batch b ON b.batch_number = v.number
        JOIN traceability.pallet p ON p.pallet_number = 'DEMO-PAL-001'
      ON CONFLICT (client_id, pallet_id, batch_id) DO NOTHING`,
      scale,
    );
  },
};
