-- Checks of add_client_id: every tenant table has client_id bigint NOT NULL and its foreign key to
-- core.client, and every row, existing ones included, belongs to a client that exists.
DO $$
DECLARE
  tenant text;
  wrong text[];
  orphan boolean;
BEGIN
  FOREACH tenant IN ARRAY ARRAY['audit.audit_log', 'catalog.brand', 'catalog.payment_term', 'catalog.warehouse', 'catalog.product',
                                'catalog.supplier', 'catalog.supplier_contact', 'inventory.stock_level', 'inventory.goods_receipt',
                                'inventory.stock_movement', 'inventory.stock_count', 'inventory.stock_count_line',
                                'traceability.ingredient', 'traceability.ingredient_lot', 'traceability.recipe',
                                'traceability.recipe_ingredient', 'traceability.production_run', 'traceability.batch',
                                'traceability.batch_ingredient', 'traceability.pallet', 'traceability.pallet_content'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_attribute
                    WHERE attrelid = tenant::regclass AND attname = 'client_id' AND NOT attisdropped AND attnotnull AND atttypid = 'bigint'::regtype) THEN
      wrong := wrong || format('%s has no client_id bigint NOT NULL', tenant);
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conrelid = tenant::regclass AND contype = 'f' AND confrelid = 'core.client'::regclass
                      AND conname = split_part(tenant, '.', 2) || '_client_id_fkey') THEN
      wrong := wrong || format('%s has no foreign key %s_client_id_fkey to core.client', tenant, split_part(tenant, '.', 2));
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s t WHERE NOT EXISTS (SELECT 1 FROM core.client c WHERE c.id = t.client_id))', tenant)
      INTO orphan;
    IF orphan THEN
      wrong := wrong || format('%s has rows of a client that does not exist', tenant);
    END IF;
  END LOOP;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'add_client_id: %', array_to_string(wrong, '; ');
  END IF;
END
$$;
