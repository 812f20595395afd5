-- Rollback of enhance_lot_traceability: keep everything it added (new tables, new columns) in
-- backup tables, as seed 003's rollback plan restores from a backup, then return recipe,
-- production_run and pallet to the baseline. Pallets made since without a production run cannot
-- exist in the baseline: they are kept in the backup and removed. The audit trail stays in
-- audit.audit_log (append-only, create_audit_infrastructure's): it is the history of these rows.
SELECT backup.preserve('traceability_ingredient_20261121112817', 'SELECT id, name::text AS name, type::text AS type, unit_of_measure, is_ftl_food, created_at, updated_at FROM traceability.ingredient');
SELECT backup.preserve('traceability_ingredient_lot_20261121112817', $$
  SELECT id, ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, tlc_source_location, tlc_source_reference, received_quantity,
         consumed_quantity, unit_of_measure, received_at, expiry_date, status::text AS status, quality_status::text AS quality_status,
         reference_document_type::text AS reference_document_type, reference_document_number, created_at, updated_at
    FROM traceability.ingredient_lot
$$);
SELECT backup.preserve('traceability_recipe_ingredient_20261121112817', 'SELECT * FROM traceability.recipe_ingredient');
SELECT backup.preserve('traceability_batch_20261121112817', $$
  SELECT id, production_run_id, product_id, batch_number, tlc, planned_quantity, actual_quantity, unit_of_measure, status::text AS status,
         quality_status::text AS quality_status, produced_at, expiry_date, consumed_quantity, palletised_quantity, created_at, updated_at
    FROM traceability.batch
$$);
SELECT backup.preserve('traceability_batch_ingredient_20261121112817', 'SELECT * FROM traceability.batch_ingredient');
SELECT backup.preserve('traceability_pallet_content_20261121112817', 'SELECT * FROM traceability.pallet_content');
SELECT backup.preserve('traceability_recipe_versions_20261121112817', $$
  SELECT id AS recipe_id, product_id, version, is_active, yield_quantity, unit_of_measure, updated_at FROM traceability.recipe
$$);
SELECT backup.preserve('traceability_production_run_details_20261121112817', $$
  SELECT id AS production_run_id, warehouse_id, status::text AS status, updated_at FROM traceability.production_run
$$);
SELECT backup.preserve('traceability_pallet_details_20261121112817', $$
  SELECT id AS pallet_id, production_run_id, pallet_number, sscc, warehouse_id, status::text AS status, quantity, location, created_at, updated_at
    FROM traceability.pallet
$$);

-- Functions taking a batch row go first: the batch table's row type goes with the table.
DROP FUNCTION traceability.assert_reworkable(traceability.batch);
DROP FUNCTION traceability.assert_palletisable(traceability.batch);
DROP TABLE traceability.pallet_content;
DROP TABLE traceability.batch_ingredient;
DROP TABLE traceability.batch;
DROP TABLE traceability.recipe_ingredient;
DROP TABLE traceability.ingredient_lot;
DROP TABLE traceability.ingredient;
DROP FUNCTION traceability.tg_batch_ingredient__consume();
DROP FUNCTION traceability.tg_batch_ingredient__check_input();
DROP FUNCTION traceability.tg_pallet_content__palletise();
DROP FUNCTION traceability.tg_ingredient_lot__guard_usage();
DROP FUNCTION traceability.tg_batch__guard_usage();

DROP TRIGGER _900_record_change ON traceability.recipe;
DROP TRIGGER _900_record_change ON traceability.production_run;
DROP TRIGGER _900_record_change ON traceability.pallet;
DROP TRIGGER _500_set_updated_at ON traceability.recipe;
DROP TRIGGER _500_set_updated_at ON traceability.production_run;
DROP TRIGGER _500_set_updated_at ON traceability.pallet;

DELETE FROM traceability.pallet WHERE production_run_id IS NULL;
DROP INDEX traceability.recipe_one_active_version_key;
ALTER TABLE traceability.recipe DROP CONSTRAINT recipe_version_check, DROP CONSTRAINT recipe_yield_quantity_positive_check;
ALTER TABLE traceability.production_run DROP CONSTRAINT production_run_times_check, DROP CONSTRAINT production_run_actual_quantity_check;
ALTER TABLE traceability.pallet DROP CONSTRAINT pallet_sscc_format_check, DROP CONSTRAINT pallet_sscc_check_digit_check;
ALTER TABLE traceability.recipe
  DROP COLUMN product_id, DROP COLUMN version, DROP COLUMN is_active, DROP COLUMN yield_quantity, DROP COLUMN unit_of_measure, DROP COLUMN updated_at;
ALTER TABLE traceability.production_run DROP COLUMN warehouse_id, DROP COLUMN status, DROP COLUMN updated_at;
ALTER TABLE traceability.pallet
  DROP COLUMN pallet_number, DROP COLUMN sscc, DROP COLUMN warehouse_id, DROP COLUMN status, DROP COLUMN updated_at,
  ALTER COLUMN production_run_id SET NOT NULL;

DROP TYPE traceability.batch_status;
DROP TYPE traceability.quality_status;
DROP TYPE traceability.ingredient_type;
DROP TYPE traceability.lot_status;
DROP TYPE traceability.pallet_status;
DROP TYPE traceability.reference_document_type;
