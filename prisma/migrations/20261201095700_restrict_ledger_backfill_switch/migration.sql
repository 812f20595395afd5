/*
 * restrict_ledger_backfill_switch: the guard of inventory.stock_level honours the backfill switch
 * (SET LOCAL supply_ledger.ledger_backfill = on, which lets a backfill move levels into the ledger
 * around it) only for the owner role and superusers. Any role could set the switch, so the
 * application role could write on-hand quantities and costs without a movement: row-level security
 * kept it to its own client's levels, but the ledger would no longer explain them. The backfills
 * (inventory.backfill_opening_balances) run as the owner (the backfill runner and the migration
 * runner switch to it), so they keep working.
 *
 * Locks: none on data (CREATE OR REPLACE FUNCTION; the trigger keeps calling it). Expected runtime:
 * instant, whatever the size. Rollback: down.sql (the earlier body). Checks: validate.sql (the
 * application role with the switch on is refused; the owner is not).
 */

-- [CUSTOM_CHANGE_START] the guard, the switch for operators only
-- Prisma has no functions.
CREATE OR REPLACE FUNCTION inventory.tg_stock_level__guard_ledger_columns()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  -- Backfills that move stock into the ledger say so for their transaction; only an operator (the
  -- owner role, which backfills and migrations run as, or a superuser) may: for an application
  -- role the switch would be a way around the ledger.
  IF current_setting('supply_ledger.ledger_backfill', true) = 'on' AND pg_has_role(current_user, 'supply_ledger_owner', 'USAGE') THEN
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
  'BEFORE INSERT, UPDATE OR DELETE on inventory.stock_level, for writes that do not come from the ledger trigger: refuses changes to on-hand, cost and ledger position (qty_reserved may change) and deleting a level with ledger history, and keeps updated_at. supply_ledger.ledger_backfill = on lets a backfill write around the ledger, for the owner role and superusers only.';
ALTER FUNCTION inventory.tg_stock_level__guard_ledger_columns() OWNER TO supply_ledger_owner;
-- [CUSTOM_CHANGE_END]
