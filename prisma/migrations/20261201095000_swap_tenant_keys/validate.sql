-- Checks of swap_tenant_keys: client_id leads every primary key and unique index of the tenant
-- tables and is part of every foreign key between them, and the keys and triggers keep two clients
-- apart (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  wrong text;
  a bigint;
  b bigint;
  product_a bigint;
  product_b bigint;
  warehouse_a bigint;
  warehouse_b bigint;
  on_hand text;
BEGIN
  -- Tenant tables: those with client_id, in the schemas of the domains that exist.
  SELECT string_agg(format('%s (%s)', c.oid::regclass, pg_get_constraintdef(k.oid)), ', ' ORDER BY c.oid::regclass::text) INTO wrong
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped
    LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p'
   WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'inventory', 'traceability')
     AND (k.oid IS NULL OR k.conname <> c.relname || '_pkey' OR k.conkey <> ARRAY[a.attnum, (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = 'id')]);
  IF wrong IS NOT NULL OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'catalog.product'::regclass AND attname = 'client_id') THEN
    RAISE EXCEPTION 'swap_tenant_keys: primary keys that are not <table>_pkey (client_id, id): %', coalesce(wrong, 'every one (no client_id)');
  END IF;

  SELECT string_agg(i.indexrelid::regclass::text, ', ' ORDER BY i.indexrelid::regclass::text) INTO wrong
    FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = 'client_id' AND NOT a.attisdropped
   WHERE i.indisunique AND i.indrelid::regclass::text ~ '^(audit|catalog|inventory|traceability)\.' AND i.indkey[0] <> a.attnum;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'swap_tenant_keys: unique indexes of tenant tables that do not lead with client_id: %', wrong;
  END IF;

  SELECT string_agg(k.conname, ', ' ORDER BY k.conname) INTO wrong
    FROM pg_constraint k
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attname = 'client_id'
    JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attname = 'client_id'
   WHERE k.contype = 'f' AND (k.conkey[1] <> a.attnum OR k.confkey[1] <> r.attnum OR k.confupdtype <> 'r' OR k.confdeltype NOT IN ('r', 'c'));
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'swap_tenant_keys: foreign keys between tenant tables without client_id first, or with another action than RESTRICT (CASCADE on delete): %', wrong;
  END IF;

  -- Two clients with the same business keys; each one's ledger is its own.
  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  INSERT INTO core.client (code, name) VALUES ('__validate_b__', 'probe') RETURNING id INTO b;
  INSERT INTO catalog.product (client_id, sku, name) VALUES (a, '__validate__', 'probe') RETURNING id INTO product_a;
  INSERT INTO catalog.product (client_id, sku, name) VALUES (b, '__validate__', 'probe') RETURNING id INTO product_b;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (a, '__validate__', 'probe') RETURNING id INTO warehouse_a;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (b, '__validate__', 'probe') RETURNING id INTO warehouse_b;
  INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, idempotency_key)
  VALUES (a, 'RECEIPT', product_a, warehouse_a, 10, 2, '__validate__'), (b, 'RECEIPT', product_b, warehouse_b, 7, 3, '__validate__');
  SELECT string_agg(qty_on_hand::text, ' ' ORDER BY client_id) INTO on_hand FROM inventory.stock_level WHERE client_id IN (a, b);
  IF on_hand IS DISTINCT FROM '10.0000 7.0000' THEN
    RAISE EXCEPTION 'swap_tenant_keys: receipts of 10 and 7 with the same idempotency key in two clients left their levels at %', on_hand;
  END IF;

  BEGIN
    INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost)
    VALUES (a, 'RECEIPT', product_b, warehouse_a, 1, 1);
    RAISE EXCEPTION 'swap_tenant_keys: a movement of one client was posted on another client''s product';
  EXCEPTION WHEN foreign_key_violation THEN
    NULL;
  END;
  BEGIN
    PERFORM set_config('app.client_id', '', true);
    PERFORM catalog.backfill_product_brands(0, 1);
    RAISE EXCEPTION 'swap_tenant_keys: a backfill batch ran without a client';
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
END
$$;
