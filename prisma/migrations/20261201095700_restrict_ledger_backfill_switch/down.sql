-- Rollback of restrict_ledger_backfill_switch: the guard's earlier body, which honours the backfill
-- switch for any role. No data to keep: a function body only.
CREATE OR REPLACE FUNCTION inventory.tg_stock_level__guard_ledger_columns()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  -- Backfills that move stock into the ledger say so for their transaction.
  IF current_setting('supply_ledger.ledger_backfill', true) = 'on' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- A level the ledger has moved is its running balance: removing it would lose stock.
    IF OLD.movement_count <> 0 OR OLD.qty_on_hand <> 0 THEN
      RAISE EXCEPTION 'inventory.stock_level % holds ledger history (% movements, % on hand) and cannot be deleted', OLD.id, OLD.movement_count, OLD.qty_on_hand
        USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' AND (NEW.qty_on_hand <> 0 OR NEW.cost_price IS NOT NULL OR NEW.movement_count <> 0)
     OR TG_OP = 'UPDATE' AND (NEW.qty_on_hand, NEW.cost_price, NEW.cost_method, NEW.last_cost_update_at, NEW.movement_count, NEW.last_movement_at)
                     IS DISTINCT FROM (OLD.qty_on_hand, OLD.cost_price, OLD.cost_method, OLD.last_cost_update_at, OLD.movement_count, OLD.last_movement_at) THEN
    RAISE EXCEPTION 'inventory.stock_level on-hand quantity and cost change only through inventory.stock_movement: post a movement'
      USING ERRCODE = 'restrict_violation';
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_level__guard_ledger_columns() IS
  'BEFORE INSERT, UPDATE OR DELETE on inventory.stock_level, for writes that do not come from the ledger trigger: refuses changes to on-hand, cost and ledger position (qty_reserved may change) and deleting a level with ledger history, and keeps updated_at.';
ALTER FUNCTION inventory.tg_stock_level__guard_ledger_columns() OWNER TO supply_ledger_owner;
