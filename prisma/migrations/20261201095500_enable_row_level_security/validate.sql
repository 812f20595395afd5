-- Checks of enable_row_level_security: every tenant table has row-level security enabled, forced
-- and one policy, the trace views are security_invoker; and, as supply_ledger_app, one client sees
-- and writes only its own rows and, with no client set, nothing (probed with writes: validate.sql
-- always runs rolled back).
DO $$
DECLARE
  wrong text;
  a bigint;
  b bigint;
  warehouse_b bigint;
  seen text;
  touched bigint;
BEGIN
  SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) INTO wrong
    FROM pg_class c
   WHERE c.relkind = 'r'
     AND (c.oid = 'core.client'::regclass
          OR c.relnamespace::regnamespace::text IN ('audit', 'catalog', 'inventory', 'traceability')
             AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'client_id' AND NOT attisdropped))
     AND NOT (c.relrowsecurity AND c.relforcerowsecurity
              AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation' AND p.polcmd = '*'));
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'enable_row_level_security: tenant tables without row-level security enabled, forced and the policy tenant_isolation: %', wrong;
  END IF;

  SELECT string_agg(c.oid::regclass::text, ', ') INTO wrong FROM pg_class c
   WHERE c.oid IN ('traceability.v_trace_edge'::regclass, 'traceability.v_trace_node'::regclass)
     AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false);
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'enable_row_level_security: views that read with their owner''s rights: %', wrong;
  END IF;

  -- Two clients' warehouses, the second's valued in the views.
  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  INSERT INTO core.client (code, name) VALUES ('__validate_b__', 'probe') RETURNING id INTO b;
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (a, '__validate__', 'probe a');
  INSERT INTO catalog.warehouse (client_id, code, name) VALUES (b, '__validate__', 'probe b') RETURNING id INTO warehouse_b;
  PERFORM inventory.refresh_all_inventory_views();

  SET LOCAL ROLE supply_ledger_app;
  PERFORM set_config('app.client_id', a::text, true);
  SELECT string_agg(name, ', ') INTO seen FROM catalog.warehouse WHERE code = '__validate__';
  IF seen IS DISTINCT FROM 'probe a' OR EXISTS (SELECT 1 FROM core.client WHERE id = b) OR core.find_client_id('__validate_b__') IS DISTINCT FROM b
     OR EXISTS (SELECT 1 FROM inventory.valuation_by_warehouse() WHERE warehouse_id = warehouse_b) THEN
    RAISE EXCEPTION 'enable_row_level_security: client % sees warehouses %, or client %, or its valuation, or cannot find it by code', a, coalesce(seen, 'none'), b;
  END IF;
  UPDATE catalog.warehouse SET name = 'changed' WHERE id = warehouse_b;
  GET DIAGNOSTICS touched = ROW_COUNT;
  IF touched <> 0 THEN
    RAISE EXCEPTION 'enable_row_level_security: client % updated a warehouse of client %', a, b;
  END IF;
  BEGIN
    INSERT INTO catalog.warehouse (client_id, code, name) VALUES (b, '__validate_other__', 'probe');
    RAISE EXCEPTION 'enable_row_level_security: client % inserted a warehouse of client %', a, b;
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;

  PERFORM set_config('app.client_id', '', true);
  IF EXISTS (SELECT 1 FROM catalog.warehouse) OR EXISTS (SELECT 1 FROM core.client) THEN
    RAISE EXCEPTION 'enable_row_level_security: with no client set, rows are visible';
  END IF;
  BEGIN
    PERFORM inventory.valuation_by_warehouse();
    RAISE EXCEPTION 'enable_row_level_security: inventory.valuation_by_warehouse() answered with no client set';
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
END
$$;
