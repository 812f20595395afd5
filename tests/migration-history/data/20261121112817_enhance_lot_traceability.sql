-- Lot traceability after the enhancement: ingredients, a supplier lot of each, a new run with a
-- batch that consumed them, a rework batch, and a pallet with an SSCC.
-- Idempotent: the history test loads it again after each rollback and re-apply.
INSERT INTO catalog.supplier (code, name, address) VALUES ('SUP-MILL', 'Valley Mill', '1 Mill Road, Paarl')
ON CONFLICT (code) DO NOTHING;
INSERT INTO catalog.warehouse (code, name, address, phone) VALUES ('BAKERY', 'Bakery floor', '5 Oven St, Cape Town', '+27 21 555 0100')
ON CONFLICT (code) DO NOTHING;
INSERT INTO traceability.ingredient (name, type, unit_of_measure, is_ftl_food) VALUES
  ('Bread flour', 'FLOUR', 'kg', false), ('Fresh cucumber', 'OTHER', 'kg', true)
ON CONFLICT (name) DO NOTHING;
INSERT INTO traceability.ingredient_lot
  (ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, tlc_source_location, received_quantity, unit_of_measure, received_at,
   expiry_date, quality_status, reference_document_type, reference_document_number)
SELECT i.id, s.id, w.id, v.code, v.tlc, 'Valley Mill, 1 Mill Road, Paarl', v.qty, 'kg', '2025-06-01 06:00+00', '2026-06-01', 'PASSED', 'INVOICE', v.doc
  FROM (VALUES ('Bread flour', 'VM-1001', 'TLC-FLOUR-1001', 500, 'INV-77'), ('Fresh cucumber', 'VM-2001', 'TLC-CUKE-2001', 40, 'INV-78')) AS v(ingredient, code, tlc, qty, doc)
  JOIN traceability.ingredient i ON i.name = v.ingredient
  JOIN catalog.supplier s ON s.code = 'SUP-MILL'
  JOIN catalog.warehouse w ON w.code = 'BAKERY'
ON CONFLICT (tlc) DO NOTHING;

INSERT INTO traceability.production_run (recipe_id, warehouse_id, status, actual_start_time, actual_end_time)
SELECT 1, w.id, 'COMPLETED', '2025-06-10 04:00+00', '2025-06-10 06:00+00' FROM catalog.warehouse w
 WHERE w.code = 'BAKERY' AND NOT EXISTS (SELECT 1 FROM traceability.batch WHERE batch_number = 'B-0610-1');
INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, actual_quantity, status, quality_status, produced_at)
SELECT max(r.id), 'B-0610-1', 'TLC-B-0610-1', 400, 390, 'COMPLETED', 'PASSED', '2025-06-10 06:00+00'
  FROM traceability.production_run r WHERE r.actual_start_time = '2025-06-10 04:00+00'
HAVING NOT EXISTS (SELECT 1 FROM traceability.batch WHERE batch_number = 'B-0610-1');
INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, actual_quantity, status, quality_status, produced_at)
SELECT b.production_run_id, 'B-0610-RW', 'TLC-B-0610-RW', 50, 50, 'COMPLETED', 'PASSED', '2025-06-10 09:00+00'
  FROM traceability.batch b WHERE b.batch_number = 'B-0610-1'
ON CONFLICT (batch_number) DO NOTHING;
INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at)
SELECT b.id, l.id, v.qty, '2025-06-10 04:10+00'
  FROM (VALUES ('TLC-FLOUR-1001', 200), ('TLC-CUKE-2001', 15)) AS v(tlc, qty)
  JOIN traceability.ingredient_lot l ON l.tlc = v.tlc
  JOIN traceability.batch b ON b.batch_number = 'B-0610-1'
ON CONFLICT (batch_id, ingredient_lot_id) DO NOTHING;
INSERT INTO traceability.batch_ingredient (batch_id, input_batch_id, quantity_used, consumed_at)
SELECT rw.id, b.id, 40, '2025-06-10 08:00+00'
  FROM traceability.batch rw, traceability.batch b WHERE rw.batch_number = 'B-0610-RW' AND b.batch_number = 'B-0610-1'
ON CONFLICT (batch_id, input_batch_id) DO NOTHING;
INSERT INTO traceability.pallet (pallet_number, sscc, warehouse_id, status)
SELECT 'PAL-0610-1', '106141411234567897', w.id, 'STORED' FROM catalog.warehouse w WHERE w.code = 'BAKERY'
ON CONFLICT (pallet_number) DO NOTHING;
INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity)
SELECT p.id, b.id, 300 FROM traceability.pallet p, traceability.batch b WHERE p.pallet_number = 'PAL-0610-1' AND b.batch_number = 'B-0610-1'
ON CONFLICT (pallet_id, batch_id) DO NOTHING;
