-- Legacy data as the baseline schema would hold it: brand names typed by hand (case and spaces
-- differ, some blank), suppliers with loose phone and email, stock on hand without cost, and the
-- goods receipts that recorded what stock cost (several per level, not every level has one).
-- Idempotent: the history test loads it again after each rollback and re-apply.
INSERT INTO catalog.warehouse (code, name, address) VALUES
  ('JHB', 'Johannesburg DC', '12 Main Reef Rd'),
  ('CPT', 'Cape Town DC', NULL),
  ('DBN', 'Durban overflow', NULL)
ON CONFLICT (code) DO NOTHING;

INSERT INTO catalog.product (sku, name, brand, unit_of_measure) VALUES
  ('SKU-001', 'Anvil, small', 'Acme', 'EA'),
  ('SKU-002', 'Anvil, large', ' acme ', 'EA'),
  ('SKU-003', 'Rocket skates', 'ACME', 'PR'),
  ('SKU-004', 'Hyperdrive', 'Globex', 'EA'),
  ('SKU-005', 'Hyperdrive mount', 'globex', 'EA'),
  ('SKU-006', 'TPS report cover', 'Initech', 'BOX'),
  ('SKU-007', 'Flour, cake', NULL, 'KG'),
  ('SKU-008', 'Sugar, caster', '', 'KG'),
  ('SKU-009', 'Salt, fine', '   ', 'KG'),
  ('SKU-010', 'T-virus antidote', 'Umbrella', 'EA'),
  ('SKU-011', 'Arc reactor', 'Stark', 'EA'),
  ('SKU-012', 'Grappling hook', 'Wayne', 'EA')
ON CONFLICT (sku) DO NOTHING;

INSERT INTO catalog.supplier (code, name, phone, email) VALUES
  ('SUP-A', 'Acme Wholesale', '+27 11 555 0100', 'Orders@Acme.example'),
  ('SUP-B', 'Globex Supply', NULL, 'sales@globex.example'),
  ('SUP-C', 'Mill & Co', ' 021 555 0199 ', NULL),
  ('SUP-D', 'Cash and carry', NULL, NULL)
ON CONFLICT (code) DO NOTHING;

INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand, qty_reserved)
SELECT p.id, w.id, v.qty, v.reserved
  FROM (VALUES
    ('SKU-001', 'JHB', 10.0, 2.0), ('SKU-001', 'CPT', 4.0, 0.0),
    ('SKU-002', 'JHB', 3.0, 0.0),  ('SKU-003', 'JHB', 25.0, 5.0),
    ('SKU-004', 'CPT', 7.0, 0.0),  ('SKU-005', 'CPT', 0.0, 0.0),
    ('SKU-006', 'JHB', 120.0, 0.0), ('SKU-007', 'DBN', 250.5, 0.0),
    ('SKU-008', 'DBN', 80.25, 0.0), ('SKU-009', 'DBN', 40.0, 0.0),
    ('SKU-010', 'JHB', 1.0, 0.0),  ('SKU-011', 'CPT', 2.0, 1.0)
  ) AS v(sku, code, qty, reserved)
  JOIN catalog.product p ON p.sku = v.sku
  JOIN catalog.warehouse w ON w.code = v.code
ON CONFLICT (product_id, warehouse_id) DO NOTHING;

INSERT INTO inventory.goods_receipt (product_id, warehouse_id, supplier_id, quantity, unit_cost, received_at, reference)
SELECT p.id, w.id, s.id, v.qty, v.cost, v.at::timestamptz, v.ref
  FROM (VALUES
    ('SKU-001', 'JHB', 'SUP-A', 10.0, 48.50, '2025-06-01 09:00+02', 'GRN-1001'),
    ('SKU-001', 'JHB', 'SUP-A', 5.0, 50.00, '2025-09-15 10:30+02', 'GRN-1044'),
    ('SKU-001', 'CPT', 'SUP-A', 4.0, 49.00, '2025-08-02 08:00+02', 'GRN-1030'),
    ('SKU-002', 'JHB', 'SUP-A', 3.0, 120.00, '2025-07-20 11:00+02', 'GRN-1022'),
    ('SKU-003', 'JHB', 'SUP-A', 30.0, 15.75, '2025-05-05 14:00+02', 'GRN-0990'),
    ('SKU-004', 'CPT', 'SUP-B', 7.0, 999.99, '2025-09-01 09:00+02', 'GRN-1040'),
    ('SKU-005', 'CPT', 'SUP-B', 2.0, 35.00, '2025-09-01 09:05+02', 'GRN-1041'),
    ('SKU-006', 'JHB', NULL, 100.0, 2.10, '2025-04-01 08:00+02', 'GRN-0950'),
    ('SKU-006', 'JHB', NULL, 50.0, 2.25, '2025-10-01 08:00+02', 'GRN-1050'),
    ('SKU-007', 'DBN', 'SUP-C', 300.0, 1.125, '2025-10-10 07:00+02', 'GRN-1060'),
    ('SKU-008', 'DBN', 'SUP-C', 100.0, 1.80, '2025-10-10 07:05+02', 'GRN-1061')
  ) AS v(sku, code, supplier, qty, cost, at, ref)
  JOIN catalog.product p ON p.sku = v.sku
  JOIN catalog.warehouse w ON w.code = v.code
  LEFT JOIN catalog.supplier s ON s.code = v.supplier
 WHERE NOT EXISTS (SELECT 1 FROM inventory.goods_receipt g WHERE g.reference = v.ref);
