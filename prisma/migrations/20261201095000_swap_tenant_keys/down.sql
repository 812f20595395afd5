-- Rollback of swap_tenant_keys: the keys and lookups as they were, and the indexes of the add_*_index
-- migrations back in place (the primary keys had taken theirs). It refuses while the tenant tables
-- hold rows of more than one client: without client_id in the keys, one client's rows could refer
-- to another's, and their business keys (a SKU, a TLC) may collide. No data is dropped.
-- Locks: ACCESS EXCLUSIVE on every tenant table until the commit, while the old primary keys and
-- unique indexes are built again and the old foreign keys validated. Measured with 1,000,000 rows
-- in each of product, stock_level, goods_receipt and stock_movement (bench/tenancy-locks.ts;
-- PostgreSQL 18 / 15): 9.6 / 6.1 s, every writer of those tables waiting as long.

DO $$
DECLARE
  clients bigint[];
BEGIN
  -- The least and greatest client of each table: two probes of its primary key.
  SELECT array_agg(DISTINCT bound ORDER BY bound) INTO clients FROM (
    SELECT min(client_id) FROM catalog.brand UNION ALL SELECT max(client_id) FROM catalog.brand
    UNION ALL SELECT min(client_id) FROM catalog.payment_term UNION ALL SELECT max(client_id) FROM catalog.payment_term
    UNION ALL SELECT min(client_id) FROM catalog.warehouse UNION ALL SELECT max(client_id) FROM catalog.warehouse
    UNION ALL SELECT min(client_id) FROM catalog.product UNION ALL SELECT max(client_id) FROM catalog.product
    UNION ALL SELECT min(client_id) FROM catalog.supplier UNION ALL SELECT max(client_id) FROM catalog.supplier
    UNION ALL SELECT min(client_id) FROM catalog.supplier_contact UNION ALL SELECT max(client_id) FROM catalog.supplier_contact
    UNION ALL SELECT min(client_id) FROM inventory.stock_level UNION ALL SELECT max(client_id) FROM inventory.stock_level
    UNION ALL SELECT min(client_id) FROM inventory.goods_receipt UNION ALL SELECT max(client_id) FROM inventory.goods_receipt
    UNION ALL SELECT min(client_id) FROM inventory.stock_movement UNION ALL SELECT max(client_id) FROM inventory.stock_movement
    UNION ALL SELECT min(client_id) FROM inventory.stock_count UNION ALL SELECT max(client_id) FROM inventory.stock_count
    UNION ALL SELECT min(client_id) FROM inventory.stock_count_line UNION ALL SELECT max(client_id) FROM inventory.stock_count_line
    UNION ALL SELECT min(client_id) FROM traceability.ingredient UNION ALL SELECT max(client_id) FROM traceability.ingredient
    UNION ALL SELECT min(client_id) FROM traceability.ingredient_lot UNION ALL SELECT max(client_id) FROM traceability.ingredient_lot
    UNION ALL SELECT min(client_id) FROM traceability.recipe UNION ALL SELECT max(client_id) FROM traceability.recipe
    UNION ALL SELECT min(client_id) FROM traceability.recipe_ingredient UNION ALL SELECT max(client_id) FROM traceability.recipe_ingredient
    UNION ALL SELECT min(client_id) FROM traceability.production_run UNION ALL SELECT max(client_id) FROM traceability.production_run
    UNION ALL SELECT min(client_id) FROM traceability.batch UNION ALL SELECT max(client_id) FROM traceability.batch
    UNION ALL SELECT min(client_id) FROM traceability.batch_ingredient UNION ALL SELECT max(client_id) FROM traceability.batch_ingredient
    UNION ALL SELECT min(client_id) FROM traceability.pallet UNION ALL SELECT max(client_id) FROM traceability.pallet
    UNION ALL SELECT min(client_id) FROM traceability.pallet_content UNION ALL SELECT max(client_id) FROM traceability.pallet_content
    UNION ALL SELECT min(client_id) FROM audit.audit_log UNION ALL SELECT max(client_id) FROM audit.audit_log
  ) AS bounds (bound)
   WHERE bound IS NOT NULL;
  IF cardinality(clients) > 1 THEN
    RAISE EXCEPTION 'swap_tenant_keys: the tenant tables hold rows of more than one client (among clients %): without client_id in the keys, one client''s rows could refer to another''s and their business keys collide; move or delete all but one client''s rows first',
      array_to_string(clients, ', ');
  END IF;
END
$$;

-- The functions as they were, their lookups by the old keys.
CREATE OR REPLACE FUNCTION inventory.tg_stock_movement__apply_to_level()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  inbound constant boolean := NEW.quantity > 0;
  source inventory.stock_movement;
  level record;
  cost numeric;
  new_qty numeric;
  new_cost numeric;
  new_value numeric;
BEGIN
  -- The cost this movement brings in, or takes out at when it is not the current average.
  IF NEW.reverses_movement_id IS NOT NULL THEN
    SELECT * INTO source FROM inventory.stock_movement WHERE id = NEW.reverses_movement_id;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR source.warehouse_id <> NEW.warehouse_id
       OR source.movement_type <> NEW.movement_type OR NEW.quantity <> -source.quantity THEN
      RAISE EXCEPTION 'stock movement % can only be reversed by a movement of the same product, warehouse and type with the opposite quantity', NEW.reverses_movement_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_reversal_check';
    END IF;
    cost := source.unit_cost;
  ELSIF NEW.movement_type = 'TRANSFER_IN' THEN
    SELECT * INTO source FROM inventory.stock_movement
     WHERE transfer_id = NEW.transfer_id AND movement_type = 'TRANSFER_OUT' AND reverses_movement_id IS NULL;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR NEW.quantity <> -source.quantity THEN
      RAISE EXCEPTION 'transfer %: its TRANSFER_IN must follow its TRANSFER_OUT, for the same product and the opposite quantity', NEW.transfer_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_transfer_balanced';
    END IF;
    cost := source.unit_cost;
  ELSIF NEW.returns_movement_id IS NOT NULL THEN
    SELECT * INTO source FROM inventory.stock_movement WHERE id = NEW.returns_movement_id;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR sign(source.quantity) = sign(NEW.quantity) THEN
      RAISE EXCEPTION 'a return must refer to a movement of the same product in the other direction (movement %)', NEW.returns_movement_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_return_check';
    END IF;
    cost := source.unit_cost;
  ELSIF inbound THEN
    cost := NEW.unit_cost;
  END IF;

  -- One row lock per product and warehouse: concurrent movements of the same level queue here.
  SELECT id, qty_on_hand, cost_price, movement_count INTO level
    FROM inventory.stock_level
   WHERE product_id = NEW.product_id AND warehouse_id = NEW.warehouse_id
     FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO inventory.stock_level (product_id, warehouse_id) VALUES (NEW.product_id, NEW.warehouse_id)
    ON CONFLICT (product_id, warehouse_id) DO NOTHING;
    SELECT id, qty_on_hand, cost_price, movement_count INTO level
      FROM inventory.stock_level
     WHERE product_id = NEW.product_id AND warehouse_id = NEW.warehouse_id
       FOR UPDATE;
  END IF;

  -- Checked under the lock, so that the same key posted twice at once posts once.
  IF NEW.idempotency_key IS NOT NULL
     AND EXISTS (SELECT 1 FROM inventory.stock_movement WHERE idempotency_key = NEW.idempotency_key) THEN
    RETURN NULL;
  END IF;

  new_qty := level.qty_on_hand + NEW.quantity;
  IF new_qty < 0 THEN
    RAISE EXCEPTION 'not enough stock: product % in warehouse % has %, the movement takes %',
      NEW.product_id, NEW.warehouse_id, level.qty_on_hand, -NEW.quantity
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_level_on_hand_not_negative_check';
  END IF;

  -- Averages are the exact quotient rounded half up to 6 decimals, by div() on integers: numeric
  -- division rounds at an intermediate scale first (an independent model could not reproduce it),
  -- and multiplying by 0.000001 is exact where dividing by 1000000 is not.
  IF inbound THEN
    -- Moving average (rule 1 of the costing rules, docs/design/inventory-ledger.md): a receipt into
    -- no or negative stock, or into stock of unknown cost, sets the cost. An inbound of unknown
    -- cost keeps it.
    new_cost := CASE
      WHEN cost IS NULL THEN CASE WHEN level.qty_on_hand > 0 THEN level.cost_price END
      WHEN level.qty_on_hand <= 0 OR level.cost_price IS NULL THEN cost
      ELSE div(2000000 * (level.qty_on_hand * level.cost_price + NEW.quantity * cost) + new_qty, 2 * new_qty) * 0.000001
    END;
  ELSIF cost IS NOT NULL AND new_qty > 0 AND level.cost_price IS NOT NULL THEN
    -- Out at its original cost (rule 3): what stays is worth the rest, never less than nothing.
    new_cost := div(2000000 * greatest(level.qty_on_hand * level.cost_price + NEW.quantity * cost, 0) + new_qty, 2 * new_qty) * 0.000001;
  ELSE
    -- Out at the current average (rule 2): the average does not change.
    new_cost := level.cost_price;
    cost := coalesce(cost, level.cost_price);
  END IF;
  new_cost := new_cost::numeric(19, 6);
  new_value := round(new_qty * new_cost, 4);

  NEW.unit_cost := cost;
  NEW.qty_after := new_qty;
  NEW.avg_cost_after := new_cost;
  NEW.value_after := new_value;
  -- An empty level is worth nothing, whatever its cost: a first receipt adds its full value.
  NEW.value_delta := new_value - CASE WHEN level.qty_on_hand = 0 THEN 0 ELSE round(level.qty_on_hand * level.cost_price, 4) END;
  NEW.level_sequence := level.movement_count + 1;

  UPDATE inventory.stock_level
     SET qty_on_hand = new_qty,
         cost_price = new_cost,
         cost_method = CASE WHEN new_cost IS DISTINCT FROM level.cost_price THEN 'WEIGHTED_AVERAGE' ELSE cost_method END,
         last_cost_update_at = CASE WHEN new_cost IS DISTINCT FROM level.cost_price THEN now() ELSE last_cost_update_at END,
         movement_count = level.movement_count + 1,
         last_movement_at = greatest(last_movement_at, NEW.occurred_at),
         updated_at = now()
   WHERE id = level.id;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_movement__apply_to_level() IS
  'BEFORE INSERT on inventory.stock_movement: values the movement with the moving-average rules, locks and updates its stock_level row, records the level state after it on the movement, and skips a movement whose idempotency key was already posted.';

CREATE OR REPLACE FUNCTION inventory.tg_stock_movement__check_transfer()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  pair record;
BEGIN
  SELECT count(*) FILTER (WHERE movement_type = 'TRANSFER_OUT' AND reverses_movement_id IS NULL) AS outs,
         count(*) FILTER (WHERE movement_type = 'TRANSFER_IN' AND reverses_movement_id IS NULL) AS ins,
         count(*) FILTER (WHERE reverses_movement_id IS NOT NULL) AS reversals,
         coalesce(sum(quantity), 0) AS net,
         count(DISTINCT product_id) AS products,
         count(DISTINCT warehouse_id) AS warehouses
    INTO pair
    FROM inventory.stock_movement
   WHERE transfer_id = NEW.transfer_id;
  IF pair.outs <> 1 OR pair.ins <> 1 OR pair.reversals NOT IN (0, 2) OR pair.net <> 0 OR pair.products <> 1 OR pair.warehouses <> 2 THEN
    RAISE EXCEPTION 'transfer % does not balance at commit: it needs one TRANSFER_OUT and one TRANSFER_IN of the same product between two warehouses (found % out, % in, % reversals, net quantity %)',
      NEW.transfer_id, pair.outs, pair.ins, pair.reversals, pair.net
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_transfer_balanced';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_movement__check_transfer() IS
  'Deferred constraint trigger on inventory.stock_movement: at commit, each transfer is one TRANSFER_OUT and one TRANSFER_IN of one product between two warehouses, netting to zero (reversed, if at all, as a whole).';

CREATE OR REPLACE FUNCTION inventory.tg_stock_count_line__freeze_when_posted()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  count_status inventory.stock_count_status;
BEGIN
  SELECT status INTO count_status FROM inventory.stock_count
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END;
  IF count_status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is %: its lines can no longer change', CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END, count_status
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_count_line__freeze_when_posted() IS
  'BEFORE INSERT, UPDATE or DELETE on inventory.stock_count_line: only the lines of an OPEN count may change.';

CREATE OR REPLACE FUNCTION traceability.tg_batch_ingredient__check_input()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  output_batch record;
BEGIN
  -- A batch takes its inputs no later than it is completed: a genealogy follows time, so it has no cycles.
  SELECT batch_number, produced_at INTO output_batch FROM traceability.batch WHERE id = NEW.batch_id;
  IF NEW.consumed_at > output_batch.produced_at THEN
    RAISE EXCEPTION 'batch % was completed at %, it cannot take an input at %', output_batch.batch_number, output_batch.produced_at, NEW.consumed_at
      USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
  END IF;
  NEW.unit_of_measure := coalesce(
    (SELECT unit_of_measure FROM traceability.ingredient_lot WHERE id = NEW.ingredient_lot_id),
    (SELECT unit_of_measure FROM traceability.batch WHERE id = NEW.input_batch_id));
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION traceability.tg_batch_ingredient__check_input() IS
  'BEFORE INSERT or UPDATE on traceability.batch_ingredient: copies the unit of the ingredient lot or input batch, and refuses an input taken after the consuming batch was completed.';

CREATE OR REPLACE FUNCTION traceability.tg_batch_ingredient__consume()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  lot traceability.ingredient_lot;
  input traceability.batch;
BEGIN
  -- Give back what the old row consumed (UPDATE, DELETE).
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.ingredient_lot_id IS NOT NULL THEN
      UPDATE traceability.ingredient_lot
         SET consumed_quantity = consumed_quantity - OLD.quantity_used,
             status = CASE WHEN consumed_quantity - OLD.quantity_used = 0 THEN 'AVAILABLE' ELSE 'IN_USE' END::traceability.lot_status
       WHERE id = OLD.ingredient_lot_id;
    ELSE
      UPDATE traceability.batch SET consumed_quantity = consumed_quantity - OLD.quantity_used WHERE id = OLD.input_batch_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RETURN NULL;
    END IF;
  END IF;

  IF NEW.ingredient_lot_id IS NOT NULL THEN
    UPDATE traceability.ingredient_lot
       SET consumed_quantity = consumed_quantity + NEW.quantity_used,
           status = CASE WHEN consumed_quantity + NEW.quantity_used >= received_quantity THEN 'DEPLETED' ELSE 'IN_USE' END::traceability.lot_status
     WHERE id = NEW.ingredient_lot_id AND consumed_quantity + NEW.quantity_used <= received_quantity
    RETURNING * INTO lot;
    IF NOT FOUND THEN
      SELECT * INTO lot FROM traceability.ingredient_lot WHERE id = NEW.ingredient_lot_id;
      RAISE EXCEPTION 'ingredient lot %: % % received, % used already, % more is too much', lot.tlc, lot.received_quantity, lot.unit_of_measure,
        lot.consumed_quantity, NEW.quantity_used
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ingredient_lot_consumption_check';
    END IF;
    IF lot.quality_status <> 'PASSED' THEN
      RAISE EXCEPTION 'ingredient lot % is %: only PASSED lots may be consumed', lot.tlc, lot.quality_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_released_check';
    END IF;
    IF NEW.consumed_at < lot.received_at THEN
      RAISE EXCEPTION 'ingredient lot % was received at %, it cannot be consumed at %', lot.tlc, lot.received_at, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
    IF (NEW.consumed_at AT TIME ZONE 'UTC')::date > lot.expiry_date THEN
      RAISE EXCEPTION 'ingredient lot % expired on %, it cannot be consumed at %', lot.tlc, lot.expiry_date, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
  ELSE
    UPDATE traceability.batch SET consumed_quantity = consumed_quantity + NEW.quantity_used
     WHERE id = NEW.input_batch_id AND consumed_quantity + palletised_quantity + NEW.quantity_used <= coalesce(actual_quantity, 0)
    RETURNING * INTO input;
    IF NOT FOUND THEN
      SELECT * INTO input FROM traceability.batch WHERE id = NEW.input_batch_id;
      PERFORM traceability.assert_reworkable(input);
      RAISE EXCEPTION 'batch %: % % produced, % reworked and % palletised already, % more is too much', input.batch_number,
        coalesce(input.actual_quantity, 0), input.unit_of_measure, input.consumed_quantity, input.palletised_quantity, NEW.quantity_used
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_conservation_check';
    END IF;
    PERFORM traceability.assert_reworkable(input);
    IF NEW.consumed_at < input.produced_at THEN
      RAISE EXCEPTION 'batch % was produced at %, it cannot be consumed at %', input.batch_number, input.produced_at, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION traceability.tg_batch_ingredient__consume() IS
  'AFTER INSERT, UPDATE or DELETE on traceability.batch_ingredient: counts the quantity on the ingredient lot or input batch under its row lock, and refuses consuming more than there is, before it was received or produced, after expiry, or an input that is not released.';

CREATE OR REPLACE FUNCTION traceability.tg_pallet_content__palletise()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  b traceability.batch;
  pallet_status traceability.pallet_status;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE traceability.batch SET palletised_quantity = palletised_quantity - OLD.quantity WHERE id = OLD.batch_id;
    IF TG_OP = 'DELETE' THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT status INTO pallet_status FROM traceability.pallet WHERE id = NEW.pallet_id;
  IF pallet_status NOT IN ('BUILDING', 'STORED') THEN
    RAISE EXCEPTION 'pallet % is %: its contents can no longer change', NEW.pallet_id, pallet_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'pallet_content_pallet_open_check';
  END IF;
  UPDATE traceability.batch SET palletised_quantity = palletised_quantity + NEW.quantity
   WHERE id = NEW.batch_id AND consumed_quantity + palletised_quantity + NEW.quantity <= coalesce(actual_quantity, 0)
  RETURNING * INTO b;
  IF NOT FOUND THEN
    SELECT * INTO b FROM traceability.batch WHERE id = NEW.batch_id;
    PERFORM traceability.assert_palletisable(b);
    RAISE EXCEPTION 'batch %: % % produced, % reworked and % palletised already, % more is too much', b.batch_number,
      coalesce(b.actual_quantity, 0), b.unit_of_measure, b.consumed_quantity, b.palletised_quantity, NEW.quantity
      USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_conservation_check';
  END IF;
  PERFORM traceability.assert_palletisable(b);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION traceability.tg_pallet_content__palletise() IS
  'AFTER INSERT, UPDATE or DELETE on traceability.pallet_content: counts the quantity on the batch under its row lock; refuses more than the batch has left, an unfinished batch, or a pallet already shipped or disposed of.';

CREATE OR REPLACE FUNCTION audit.tg__record_change()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
BEGIN
  INSERT INTO audit.audit_log (table_schema, table_name, row_id, action, old_row, new_row, actor)
  VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, (coalesce(new_row, old_row) ->> 'id')::bigint, TG_OP, old_row, new_row,
          coalesce(nullif(current_setting('supply_ledger.actor', true), ''), current_user));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.tg__record_change() IS
  'AFTER INSERT, UPDATE or DELETE trigger for any table: writes the old and new row as JSON to audit.audit_log with the actor (setting supply_ledger.actor, else the database user) and the time.';

CREATE OR REPLACE FUNCTION catalog.backfill_product_brands(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  upper_id bigint;
  linked bigint;
BEGIN
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.product WHERE id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  INSERT INTO catalog.brand (name)
  SELECT DISTINCT ON (lower(btrim(p.brand))) btrim(p.brand)
    FROM catalog.product p
   WHERE p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
   ORDER BY lower(btrim(p.brand)), p.id
  ON CONFLICT (name) DO NOTHING;

  UPDATE catalog.product p
     SET brand_id = b.id
    FROM catalog.brand b
   WHERE p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
     AND b.name = btrim(p.brand)::citext;
  GET DIAGNOSTICS linked = ROW_COUNT;

  RETURN QUERY SELECT upper_id, linked;
END
$$;
COMMENT ON FUNCTION catalog.backfill_product_brands(bigint, integer) IS
  'Brand backfill, one batch: creates the brands of the legacy names of products with id in (after_id, after_id + batch_size products] and links those products. Returns the last id covered (NULL when none is left) and how many products it linked.';

CREATE OR REPLACE FUNCTION catalog.backfill_supplier_contacts(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
-- Planned for each batch: a plan cached when supplier_contact was empty scans all of it for every
-- batch once it has grown, which made a finalize that does the whole backfill in one transaction
-- quadratic (1,000,000 suppliers on PostgreSQL 18: 80-99 s, against 41-43 s planned per batch).
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  upper_id bigint;
  details bigint;
  contacts bigint;
BEGIN
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.supplier WHERE id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  UPDATE catalog.supplier
     SET contact_phone = coalesce(contact_phone, nullif(btrim(phone), '')),
         contact_email = coalesce(contact_email, nullif(lower(btrim(email)), ''))
   WHERE id > after_id AND id <= upper_id
     AND (contact_phone IS NULL AND btrim(phone) <> '' OR contact_email IS NULL AND btrim(email) <> '');
  GET DIAGNOSTICS details = ROW_COUNT;

  INSERT INTO catalog.supplier_contact (supplier_id, name, role, email, phone, is_primary)
  SELECT s.id, s.name, 'main contact (from the supplier record)', s.contact_email, s.contact_phone, true
    FROM catalog.supplier s
   WHERE s.id > after_id AND s.id <= upper_id
     AND num_nonnulls(s.contact_email, s.contact_phone) > 0
     AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary)
   ORDER BY s.id
  -- The application may add a primary contact meanwhile: the batch keeps it instead of failing.
  ON CONFLICT (supplier_id) WHERE is_primary DO NOTHING;
  GET DIAGNOSTICS contacts = ROW_COUNT;

  RETURN QUERY SELECT upper_id, details + contacts;
END
$$;
COMMENT ON FUNCTION catalog.backfill_supplier_contacts(bigint, integer) IS
  'Supplier contact backfill, one batch: for suppliers with id in (after_id, next batch_size suppliers], fills contact_phone and contact_email from the legacy fields and adds a primary contact where missing. Returns the last id covered (NULL when none is left) and how many rows it wrote.';

CREATE OR REPLACE FUNCTION inventory.backfill_opening_balances(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  upper_id bigint;
  level record;
  opening_cost numeric;
  done bigint := 0;
BEGIN
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM inventory.stock_level WHERE id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;
  PERFORM set_config('supply_ledger.ledger_backfill', 'on', true);

  FOR level IN
    SELECT * FROM inventory.stock_level
     WHERE id > after_id AND id <= upper_id AND movement_count = 0 AND cost_method IS NULL
     ORDER BY id
       FOR UPDATE
  LOOP
    SELECT g.unit_cost INTO opening_cost
      FROM inventory.goods_receipt g
     WHERE g.product_id = level.product_id
     ORDER BY (g.warehouse_id = level.warehouse_id) DESC, g.received_at DESC, g.id DESC
     LIMIT 1;
    IF level.qty_on_hand > 0 THEN
      -- The ledger posts the quantity back at the opening cost, setting the level as it does every level.
      UPDATE inventory.stock_level SET qty_on_hand = 0 WHERE id = level.id;
      INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason)
      VALUES ('ADJUSTMENT_IN', level.product_id, level.warehouse_id, level.qty_on_hand, opening_cost, 'MIGRATION', 'opening-balance',
              CASE WHEN opening_cost IS NULL THEN 'opening balance, cost unknown (no goods receipt)' ELSE 'opening balance at the latest receipt cost' END);
    END IF;
    IF opening_cost IS NOT NULL THEN
      UPDATE inventory.stock_level
         SET cost_price = opening_cost, cost_method = 'LAST_RECEIPT', last_cost_update_at = now()
       WHERE id = level.id;
    END IF;
    IF level.qty_on_hand > 0 OR opening_cost IS NOT NULL THEN
      done := done + 1;
    END IF;
  END LOOP;

  PERFORM set_config('supply_ledger.ledger_backfill', 'off', true);
  RETURN QUERY SELECT upper_id, done;
END
$$;
COMMENT ON FUNCTION inventory.backfill_opening_balances(bigint, integer) IS
  'Opening balances, one batch: for stock levels with id in (after_id, next batch_size levels] not yet in the ledger, posts the on-hand quantity as an ADJUSTMENT_IN (reference MIGRATION) at the cost of the latest goods receipt of the product (in that warehouse first) and marks the cost LAST_RECEIPT. Returns the last id covered (NULL when none is left) and how many levels it changed.';

CREATE OR REPLACE FUNCTION inventory.post_stock_count(count_id bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  stock_count inventory.stock_count;
  line record;
  on_hand numeric;
  average numeric;
  difference numeric;
  movement_id bigint;
  posted integer := 0;
BEGIN
  SELECT * INTO stock_count FROM inventory.stock_count WHERE id = count_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stock count % does not exist', count_id USING ERRCODE = 'no_data_found';
  END IF;
  IF stock_count.status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is % and cannot be posted', count_id, stock_count.status USING ERRCODE = 'restrict_violation';
  END IF;

  -- Lines in product order, the order every writer locks levels in (no deadlocks between postings).
  FOR line IN SELECT * FROM inventory.stock_count_line WHERE stock_count_id = count_id ORDER BY product_id LOOP
    SELECT qty_on_hand, cost_price INTO on_hand, average
      FROM inventory.stock_level WHERE product_id = line.product_id AND warehouse_id = stock_count.warehouse_id
       FOR UPDATE;
    on_hand := coalesce(on_hand, 0);
    difference := line.counted_qty - on_hand;
    movement_id := NULL;
    IF difference > 0 AND coalesce(average, line.unit_cost) IS NULL THEN
      RAISE EXCEPTION 'stock count %: product % was counted % more than on hand, and neither its stock level nor the count line has a cost', count_id, line.product_id, difference
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_inbound_cost_check';
    END IF;
    IF difference <> 0 THEN
      INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason, occurred_at)
      VALUES (CASE WHEN difference > 0 THEN 'ADJUSTMENT_IN' ELSE 'ADJUSTMENT_OUT' END::inventory.movement_type,
              line.product_id, stock_count.warehouse_id, difference,
              CASE WHEN difference > 0 THEN coalesce(average, line.unit_cost) END,
              'STOCK_COUNT', count_id::text, 'stock count difference', stock_count.counted_at)
      RETURNING id INTO movement_id;
      posted := posted + 1;
    END IF;
    UPDATE inventory.stock_count_line SET system_qty = on_hand, adjustment_movement_id = movement_id WHERE id = line.id;
  END LOOP;

  UPDATE inventory.stock_count SET status = 'POSTED', posted_at = now() WHERE id = count_id;
  RETURN posted;
END
$$;
COMMENT ON FUNCTION inventory.post_stock_count(bigint) IS
  'Posts an OPEN stock count: one ADJUSTMENT_IN/ADJUSTMENT_OUT movement per line whose counted quantity differs from on hand (gains at the level cost, else the line cost), records on-hand and the movement on each line, marks the count POSTED. Returns how many movements it posted.';

ALTER TABLE catalog.product DROP CONSTRAINT product_brand_id_fkey;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_payment_term_id_fkey;
ALTER TABLE catalog.supplier_contact DROP CONSTRAINT supplier_contact_supplier_id_fkey;
ALTER TABLE inventory.stock_level DROP CONSTRAINT stock_level_product_id_fkey;
ALTER TABLE inventory.stock_level DROP CONSTRAINT stock_level_warehouse_id_fkey;
ALTER TABLE inventory.goods_receipt DROP CONSTRAINT goods_receipt_product_id_fkey;
ALTER TABLE inventory.goods_receipt DROP CONSTRAINT goods_receipt_warehouse_id_fkey;
ALTER TABLE inventory.goods_receipt DROP CONSTRAINT goods_receipt_supplier_id_fkey;
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_product_id_fkey;
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_warehouse_id_fkey;
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_reverses_movement_id_fkey;
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_returns_movement_id_fkey;
ALTER TABLE inventory.stock_count DROP CONSTRAINT stock_count_warehouse_id_fkey;
ALTER TABLE inventory.stock_count_line DROP CONSTRAINT stock_count_line_stock_count_id_fkey;
ALTER TABLE inventory.stock_count_line DROP CONSTRAINT stock_count_line_product_id_fkey;
ALTER TABLE inventory.stock_count_line DROP CONSTRAINT stock_count_line_adjustment_movement_id_fkey;
ALTER TABLE traceability.ingredient_lot DROP CONSTRAINT ingredient_lot_ingredient_id_fkey;
ALTER TABLE traceability.ingredient_lot DROP CONSTRAINT ingredient_lot_supplier_id_fkey;
ALTER TABLE traceability.ingredient_lot DROP CONSTRAINT ingredient_lot_warehouse_id_fkey;
ALTER TABLE traceability.recipe DROP CONSTRAINT recipe_product_id_fkey;
ALTER TABLE traceability.recipe_ingredient DROP CONSTRAINT recipe_ingredient_recipe_id_fkey;
ALTER TABLE traceability.recipe_ingredient DROP CONSTRAINT recipe_ingredient_ingredient_id_fkey;
ALTER TABLE traceability.production_run DROP CONSTRAINT production_run_recipe_id_fkey;
ALTER TABLE traceability.production_run DROP CONSTRAINT production_run_warehouse_id_fkey;
ALTER TABLE traceability.batch DROP CONSTRAINT batch_production_run_id_fkey;
ALTER TABLE traceability.batch DROP CONSTRAINT batch_product_id_fkey;
ALTER TABLE traceability.batch_ingredient DROP CONSTRAINT batch_ingredient_batch_id_fkey;
ALTER TABLE traceability.batch_ingredient DROP CONSTRAINT batch_ingredient_ingredient_lot_id_fkey;
ALTER TABLE traceability.batch_ingredient DROP CONSTRAINT batch_ingredient_input_batch_id_fkey;
ALTER TABLE traceability.pallet DROP CONSTRAINT pallet_production_run_id_fkey;
ALTER TABLE traceability.pallet DROP CONSTRAINT pallet_warehouse_id_fkey;
ALTER TABLE traceability.pallet_content DROP CONSTRAINT pallet_content_pallet_id_fkey;
ALTER TABLE traceability.pallet_content DROP CONSTRAINT pallet_content_batch_id_fkey;

CREATE UNIQUE INDEX pallet_content_pallet_id_batch_id_key ON traceability.pallet_content (pallet_id, batch_id);
CREATE UNIQUE INDEX pallet_sscc_key ON traceability.pallet (sscc);
CREATE UNIQUE INDEX pallet_pallet_number_key ON traceability.pallet (pallet_number);
CREATE UNIQUE INDEX batch_ingredient_batch_id_input_batch_id_key ON traceability.batch_ingredient (batch_id, input_batch_id);
CREATE UNIQUE INDEX batch_ingredient_batch_id_ingredient_lot_id_key ON traceability.batch_ingredient (batch_id, ingredient_lot_id);
CREATE UNIQUE INDEX batch_tlc_key ON traceability.batch (tlc);
CREATE UNIQUE INDEX batch_batch_number_key ON traceability.batch (batch_number);
CREATE UNIQUE INDEX recipe_ingredient_recipe_id_ingredient_id_key ON traceability.recipe_ingredient (recipe_id, ingredient_id);
ALTER INDEX traceability.recipe_one_active_version_key RENAME TO recipe_client_one_active_version_key;
CREATE UNIQUE INDEX recipe_one_active_version_key ON traceability.recipe (product_id) WHERE is_active;
CREATE UNIQUE INDEX recipe_product_id_version_key ON traceability.recipe (product_id, version);
CREATE UNIQUE INDEX ingredient_lot_supplier_id_supplier_lot_code_ingredient_id_key ON traceability.ingredient_lot (supplier_id, supplier_lot_code, ingredient_id);
CREATE UNIQUE INDEX ingredient_lot_tlc_key ON traceability.ingredient_lot (tlc);
CREATE UNIQUE INDEX ingredient_name_key ON traceability.ingredient (name);
CREATE UNIQUE INDEX stock_count_line_stock_count_id_product_id_key ON inventory.stock_count_line (stock_count_id, product_id);
CREATE UNIQUE INDEX stock_count_line_adjustment_movement_id_key ON inventory.stock_count_line (adjustment_movement_id);
CREATE UNIQUE INDEX stock_movement_product_id_warehouse_id_level_sequence_key ON inventory.stock_movement (product_id, warehouse_id, level_sequence);
CREATE UNIQUE INDEX stock_movement_idempotency_key_key ON inventory.stock_movement (idempotency_key);
CREATE UNIQUE INDEX stock_movement_reverses_movement_id_key ON inventory.stock_movement (reverses_movement_id);
CREATE UNIQUE INDEX stock_level_product_id_warehouse_id_key ON inventory.stock_level (product_id, warehouse_id);
ALTER INDEX catalog.supplier_contact_one_primary_key RENAME TO supplier_contact_client_one_primary_key;
CREATE UNIQUE INDEX supplier_contact_one_primary_key ON catalog.supplier_contact (supplier_id) WHERE is_primary;
CREATE UNIQUE INDEX supplier_gln_key ON catalog.supplier (gln);
CREATE UNIQUE INDEX supplier_code_key ON catalog.supplier (code);
CREATE UNIQUE INDEX product_sku_key ON catalog.product (sku);
CREATE UNIQUE INDEX warehouse_gln_key ON catalog.warehouse (gln);
CREATE UNIQUE INDEX warehouse_code_key ON catalog.warehouse (code);
CREATE UNIQUE INDEX payment_term_code_key ON catalog.payment_term (code);
CREATE UNIQUE INDEX brand_name_key ON catalog.brand (name);

CREATE UNIQUE INDEX audit_log_client_id_id_key ON audit.audit_log (client_id, id);
ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_pkey, ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX pallet_content_client_id_id_key ON traceability.pallet_content (client_id, id);
ALTER TABLE traceability.pallet_content DROP CONSTRAINT pallet_content_pkey, ADD CONSTRAINT pallet_content_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX pallet_client_id_id_key ON traceability.pallet (client_id, id);
ALTER TABLE traceability.pallet DROP CONSTRAINT pallet_pkey, ADD CONSTRAINT pallet_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX batch_ingredient_client_id_id_key ON traceability.batch_ingredient (client_id, id);
ALTER TABLE traceability.batch_ingredient DROP CONSTRAINT batch_ingredient_pkey, ADD CONSTRAINT batch_ingredient_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX batch_client_id_id_key ON traceability.batch (client_id, id);
ALTER TABLE traceability.batch DROP CONSTRAINT batch_pkey, ADD CONSTRAINT batch_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX production_run_client_id_id_key ON traceability.production_run (client_id, id);
ALTER TABLE traceability.production_run DROP CONSTRAINT production_run_pkey, ADD CONSTRAINT production_run_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX recipe_ingredient_client_id_id_key ON traceability.recipe_ingredient (client_id, id);
ALTER TABLE traceability.recipe_ingredient DROP CONSTRAINT recipe_ingredient_pkey, ADD CONSTRAINT recipe_ingredient_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX recipe_client_id_id_key ON traceability.recipe (client_id, id);
ALTER TABLE traceability.recipe DROP CONSTRAINT recipe_pkey, ADD CONSTRAINT recipe_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX ingredient_lot_client_id_id_key ON traceability.ingredient_lot (client_id, id);
ALTER TABLE traceability.ingredient_lot DROP CONSTRAINT ingredient_lot_pkey, ADD CONSTRAINT ingredient_lot_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX ingredient_client_id_id_key ON traceability.ingredient (client_id, id);
ALTER TABLE traceability.ingredient DROP CONSTRAINT ingredient_pkey, ADD CONSTRAINT ingredient_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX stock_count_line_client_id_id_key ON inventory.stock_count_line (client_id, id);
ALTER TABLE inventory.stock_count_line DROP CONSTRAINT stock_count_line_pkey, ADD CONSTRAINT stock_count_line_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX stock_count_client_id_id_key ON inventory.stock_count (client_id, id);
ALTER TABLE inventory.stock_count DROP CONSTRAINT stock_count_pkey, ADD CONSTRAINT stock_count_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX stock_movement_client_id_id_key ON inventory.stock_movement (client_id, id);
ALTER TABLE inventory.stock_movement DROP CONSTRAINT stock_movement_pkey, ADD CONSTRAINT stock_movement_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX goods_receipt_client_id_id_key ON inventory.goods_receipt (client_id, id);
ALTER TABLE inventory.goods_receipt DROP CONSTRAINT goods_receipt_pkey, ADD CONSTRAINT goods_receipt_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX stock_level_client_id_id_key ON inventory.stock_level (client_id, id);
ALTER TABLE inventory.stock_level DROP CONSTRAINT stock_level_pkey, ADD CONSTRAINT stock_level_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX supplier_contact_client_id_id_key ON catalog.supplier_contact (client_id, id);
ALTER TABLE catalog.supplier_contact DROP CONSTRAINT supplier_contact_pkey, ADD CONSTRAINT supplier_contact_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX supplier_client_id_id_key ON catalog.supplier (client_id, id);
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_pkey, ADD CONSTRAINT supplier_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX product_client_id_id_key ON catalog.product (client_id, id);
ALTER TABLE catalog.product DROP CONSTRAINT product_pkey, ADD CONSTRAINT product_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX warehouse_client_id_id_key ON catalog.warehouse (client_id, id);
ALTER TABLE catalog.warehouse DROP CONSTRAINT warehouse_pkey, ADD CONSTRAINT warehouse_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX payment_term_client_id_id_key ON catalog.payment_term (client_id, id);
ALTER TABLE catalog.payment_term DROP CONSTRAINT payment_term_pkey, ADD CONSTRAINT payment_term_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX brand_client_id_id_key ON catalog.brand (client_id, id);
ALTER TABLE catalog.brand DROP CONSTRAINT brand_pkey, ADD CONSTRAINT brand_pkey PRIMARY KEY (id);

ALTER TABLE catalog.product ADD CONSTRAINT product_brand_id_fkey FOREIGN KEY (brand_id) REFERENCES catalog.brand (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_payment_term_id_fkey FOREIGN KEY (payment_term_id) REFERENCES catalog.payment_term (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE catalog.supplier_contact ADD CONSTRAINT supplier_contact_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES catalog.supplier (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE inventory.stock_level ADD CONSTRAINT stock_level_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE inventory.stock_level ADD CONSTRAINT stock_level_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.goods_receipt ADD CONSTRAINT goods_receipt_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.goods_receipt ADD CONSTRAINT goods_receipt_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.goods_receipt ADD CONSTRAINT goods_receipt_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES catalog.supplier (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_movement ADD CONSTRAINT stock_movement_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_movement ADD CONSTRAINT stock_movement_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_movement ADD CONSTRAINT stock_movement_reverses_movement_id_fkey FOREIGN KEY (reverses_movement_id) REFERENCES inventory.stock_movement (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_movement ADD CONSTRAINT stock_movement_returns_movement_id_fkey FOREIGN KEY (returns_movement_id) REFERENCES inventory.stock_movement (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_count ADD CONSTRAINT stock_count_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_count_line ADD CONSTRAINT stock_count_line_stock_count_id_fkey FOREIGN KEY (stock_count_id) REFERENCES inventory.stock_count (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE inventory.stock_count_line ADD CONSTRAINT stock_count_line_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE inventory.stock_count_line ADD CONSTRAINT stock_count_line_adjustment_movement_id_fkey FOREIGN KEY (adjustment_movement_id) REFERENCES inventory.stock_movement (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.ingredient_lot ADD CONSTRAINT ingredient_lot_ingredient_id_fkey FOREIGN KEY (ingredient_id) REFERENCES traceability.ingredient (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.ingredient_lot ADD CONSTRAINT ingredient_lot_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES catalog.supplier (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.ingredient_lot ADD CONSTRAINT ingredient_lot_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.recipe ADD CONSTRAINT recipe_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.recipe_ingredient ADD CONSTRAINT recipe_ingredient_recipe_id_fkey FOREIGN KEY (recipe_id) REFERENCES traceability.recipe (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE traceability.recipe_ingredient ADD CONSTRAINT recipe_ingredient_ingredient_id_fkey FOREIGN KEY (ingredient_id) REFERENCES traceability.ingredient (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.production_run ADD CONSTRAINT production_run_recipe_id_fkey FOREIGN KEY (recipe_id) REFERENCES traceability.recipe (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.production_run ADD CONSTRAINT production_run_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.batch ADD CONSTRAINT batch_production_run_id_fkey FOREIGN KEY (production_run_id) REFERENCES traceability.production_run (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.batch ADD CONSTRAINT batch_product_id_fkey FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.batch_ingredient ADD CONSTRAINT batch_ingredient_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES traceability.batch (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.batch_ingredient ADD CONSTRAINT batch_ingredient_ingredient_lot_id_fkey FOREIGN KEY (ingredient_lot_id) REFERENCES traceability.ingredient_lot (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.batch_ingredient ADD CONSTRAINT batch_ingredient_input_batch_id_fkey FOREIGN KEY (input_batch_id) REFERENCES traceability.batch (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.pallet ADD CONSTRAINT pallet_production_run_id_fkey FOREIGN KEY (production_run_id) REFERENCES traceability.production_run (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.pallet ADD CONSTRAINT pallet_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.pallet_content ADD CONSTRAINT pallet_content_pallet_id_fkey FOREIGN KEY (pallet_id) REFERENCES traceability.pallet (id) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE traceability.pallet_content ADD CONSTRAINT pallet_content_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES traceability.batch (id) ON DELETE RESTRICT ON UPDATE CASCADE;
