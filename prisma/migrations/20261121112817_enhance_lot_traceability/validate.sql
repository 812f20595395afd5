-- Checks of enhance_lot_traceability: seed 003's post-migration checks (foreign keys, unique
-- constraints, enum values), its data migration, the usage counters, and the rules (probed with
-- writes: validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  missing text;
  wrong bigint;
  probe_supplier bigint;
  probe_ingredient bigint;
  probe_lot bigint;
  probe_run bigint;
  probe_batch bigint;
  audited bigint;
BEGIN
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['traceability.ingredient', 'traceability.ingredient_lot', 'traceability.recipe_ingredient', 'traceability.batch',
                      'traceability.batch_ingredient', 'traceability.pallet_content']) AS wanted
   WHERE to_regclass(wanted) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'enhance_lot_traceability: missing tables: %', missing;
  END IF;

  -- Seed 003, "Verify foreign key relationships" and "Check unique constraints".
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['ingredient_lot_ingredient_id_fkey', 'ingredient_lot_supplier_id_fkey', 'ingredient_lot_warehouse_id_fkey',
                      'recipe_product_id_fkey', 'recipe_ingredient_recipe_id_fkey', 'recipe_ingredient_ingredient_id_fkey',
                      'production_run_recipe_id_fkey', 'production_run_warehouse_id_fkey', 'batch_production_run_id_fkey', 'batch_product_id_fkey',
                      'batch_ingredient_batch_id_fkey', 'batch_ingredient_ingredient_lot_id_fkey', 'batch_ingredient_input_batch_id_fkey',
                      'pallet_production_run_id_fkey', 'pallet_warehouse_id_fkey', 'pallet_content_pallet_id_fkey', 'pallet_content_batch_id_fkey']) AS wanted
   WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = wanted AND contype = 'f' AND connamespace = 'traceability'::regnamespace);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'enhance_lot_traceability: missing foreign keys: %', missing;
  END IF;
  -- Each under its name since swap_tenant_keys (issue 10) too, when it is unique per client.
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['ingredient_name_key', 'ingredient_lot_tlc_key', 'ingredient_lot_supplier_id_supplier_lot_code_ingredient_id_key',
                      'batch_batch_number_key', 'batch_tlc_key', 'batch_ingredient_batch_id_ingredient_lot_id_key',
                      'batch_ingredient_batch_id_input_batch_id_key', 'pallet_pallet_number_key', 'pallet_sscc_key',
                      'pallet_content_pallet_id_batch_id_key', 'recipe_product_id_version_key', 'recipe_one_active_version_key'],
                ARRAY['ingredient_client_id_name_key', 'ingredient_lot_client_id_tlc_key', 'ingredient_lot_client_id_supplier_id_supplier_lot_code_ingr_key',
                      'batch_client_id_batch_number_key', 'batch_client_id_tlc_key', 'batch_ingredient_client_id_batch_id_ingredient_lot_id_key',
                      'batch_ingredient_client_id_batch_id_input_batch_id_key', 'pallet_client_id_pallet_number_key', 'pallet_client_id_sscc_key',
                      'pallet_content_client_id_pallet_id_batch_id_key', 'recipe_client_id_product_id_version_key', 'recipe_one_active_version_key']) AS key (wanted, per_client)
   WHERE to_regclass('traceability.' || wanted) IS NULL AND to_regclass('traceability.' || per_client) IS NULL;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'enhance_lot_traceability: missing unique indexes: %', missing;
  END IF;

  -- Seed 003, "Verify enum types".
  SELECT string_agg(wanted, ', ') INTO missing
    FROM unnest(ARRAY['batch_status.PLANNED', 'batch_status.COMPLETED', 'quality_status.PASSED', 'quality_status.QUARANTINED',
                      'quality_status.RECALLED', 'quality_status.EXPIRED', 'ingredient_type.OTHER']) AS wanted
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      WHERE t.typnamespace = 'traceability'::regnamespace AND t.typname || '.' || e.enumlabel = wanted);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'enhance_lot_traceability: missing enum values: %', missing;
  END IF;

  -- The data migration: every run has its batch, every pallet a number, migrated batches the seed's values.
  SELECT count(*) INTO wrong FROM traceability.production_run r
   WHERE NOT EXISTS (SELECT 1 FROM traceability.batch b WHERE b.production_run_id = r.id);
  IF wrong > 0 THEN
    RAISE EXCEPTION 'enhance_lot_traceability: % production runs without a batch', wrong;
  END IF;
  SELECT count(*) INTO wrong FROM traceability.batch b JOIN traceability.production_run r ON r.id = b.production_run_id
   WHERE b.batch_number = 'MIGRATED-' || r.id
     AND (b.tlc <> b.batch_number OR b.status <> 'COMPLETED' OR b.quality_status <> 'PASSED' OR b.planned_quantity <> coalesce(r.actual_quantity, 0));
  IF wrong > 0 THEN
    RAISE EXCEPTION 'enhance_lot_traceability: % migrated batches differ from their run (MIGRATED-<id>, COMPLETED, PASSED, planned = actual)', wrong;
  END IF;

  -- The usage counters agree with the rows they count.
  SELECT count(*) INTO wrong FROM traceability.ingredient_lot l
   WHERE l.consumed_quantity <> coalesce((SELECT sum(quantity_used) FROM traceability.batch_ingredient WHERE ingredient_lot_id = l.id), 0);
  IF wrong > 0 THEN
    RAISE EXCEPTION 'enhance_lot_traceability: % ingredient lots whose consumed_quantity disagrees with batch_ingredient', wrong;
  END IF;
  SELECT count(*) INTO wrong FROM traceability.batch b
   WHERE b.consumed_quantity <> coalesce((SELECT sum(quantity_used) FROM traceability.batch_ingredient WHERE input_batch_id = b.id), 0)
      OR b.palletised_quantity <> coalesce((SELECT sum(quantity) FROM traceability.pallet_content WHERE batch_id = b.id), 0);
  IF wrong > 0 THEN
    RAISE EXCEPTION 'enhance_lot_traceability: % batches whose consumed or palletised quantity disagrees with their rows', wrong;
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- The rules, probed: a lot is consumed only once released and never beyond what was received.
  INSERT INTO catalog.supplier (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe_supplier;
  INSERT INTO traceability.ingredient (name) VALUES ('__validate__') RETURNING id INTO probe_ingredient;
  INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, supplier_lot_code, tlc, received_quantity, unit_of_measure, received_at)
  VALUES (probe_ingredient, probe_supplier, 'L1', '__validate__', 10, 'kg', now() - interval '1 day') RETURNING id INTO probe_lot;
  INSERT INTO traceability.recipe (name, created_by) VALUES ('__validate__', 'validate') RETURNING id INTO probe_run;
  INSERT INTO traceability.production_run (recipe_id) VALUES (probe_run) RETURNING id INTO probe_run;
  INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity) VALUES (probe_run, '__validate__', '__validate__', 1)
  RETURNING id INTO probe_batch;
  BEGIN
    INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used) VALUES (probe_batch, probe_lot, 1);
    RAISE EXCEPTION 'enhance_lot_traceability: a PENDING lot was consumed';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  UPDATE traceability.ingredient_lot SET quality_status = 'PASSED' WHERE id = probe_lot;
  INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used) VALUES (probe_batch, probe_lot, 10);
  IF (SELECT status FROM traceability.ingredient_lot WHERE id = probe_lot) <> 'DEPLETED' THEN
    RAISE EXCEPTION 'enhance_lot_traceability: a lot consumed entirely is not DEPLETED';
  END IF;
  BEGIN
    UPDATE traceability.batch_ingredient SET quantity_used = 10.0001 WHERE batch_id = probe_batch;
    RAISE EXCEPTION 'enhance_lot_traceability: a lot was consumed beyond its received quantity';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO traceability.pallet (pallet_number, sscc) VALUES ('__validate__', '106141411234567890');
    RAISE EXCEPTION 'enhance_lot_traceability: an SSCC with a wrong check digit was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  SELECT count(*) INTO audited FROM audit.audit_log WHERE table_name = 'ingredient_lot' AND row_id = probe_lot;
  IF audited < 3 THEN
    RAISE EXCEPTION 'enhance_lot_traceability: % audit rows for a lot inserted, released and consumed (3 expected)', audited;
  END IF;
END
$$;
