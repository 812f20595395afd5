-- Legacy production records as the baseline schema would hold them: recipes, runs (one without a
-- recorded quantity), pallets of some runs with free-text locations.
-- Idempotent: the history test loads it again after each rollback and re-apply.
INSERT INTO traceability.recipe (id, name, created_by, created_at) VALUES
  (1, 'Sourdough loaf', 'maria', '2025-01-10 08:00+00'),
  (2, 'Seeded rye', 'maria', '2025-02-03 08:00+00'),
  (3, 'Cinnamon roll', 'sam', '2025-03-15 08:00+00')
ON CONFLICT (id) DO NOTHING;
SELECT setval('traceability.recipe_id_seq', greatest((SELECT max(id) FROM traceability.recipe), 1));

INSERT INTO traceability.production_run (id, recipe_id, actual_quantity, actual_start_time, actual_end_time, notes) VALUES
  (1, 1, 480, '2025-06-02 04:00+00', '2025-06-02 07:30+00', NULL),
  (2, 1, 500, '2025-06-03 04:00+00', '2025-06-03 07:20+00', 'oven 2 slow'),
  (3, 2, 240, '2025-06-03 08:00+00', '2025-06-03 10:00+00', NULL),
  (4, 3, NULL, '2025-06-04 05:00+00', NULL, 'count not recorded'),
  (5, 3, 300, '2025-06-05 05:00+00', '2025-06-05 07:00+00', NULL)
ON CONFLICT (id) DO NOTHING;
SELECT setval('traceability.production_run_id_seq', greatest((SELECT max(id) FROM traceability.production_run), 1));

INSERT INTO traceability.pallet (id, production_run_id, quantity, location) VALUES
  (1, 1, 240, 'Cold room A'),
  (2, 1, 240, 'Cold room A'),
  (3, 2, 500, 'Dispatch bay'),
  (4, 5, 300, NULL)
ON CONFLICT (id) DO NOTHING;
SELECT setval('traceability.pallet_id_seq', greatest((SELECT max(id) FROM traceability.pallet), 1));
