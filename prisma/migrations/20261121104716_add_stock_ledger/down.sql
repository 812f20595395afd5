-- Rollback of add_stock_ledger. The movements and the cost data are kept in backup tables first
-- (as the seed's rollback keeps backup.stock_movement_backup_* and stock_on_hand_cost_backup_*),
-- enums as text so that the types can go. On-hand quantities stay in inventory.stock_level: they
-- were there before the ledger.
SELECT backup.preserve('inventory_stock_movement_20261121104716', $$
  SELECT id, movement_type::text AS movement_type, product_id, warehouse_id, quantity, unit_cost, value_delta,
         qty_after, avg_cost_after, value_after, level_sequence, transfer_id, reverses_movement_id, returns_movement_id,
         reference_type::text AS reference_type, reference_id, reason, idempotency_key, occurred_at, posted_at, actor
    FROM inventory.stock_movement
$$);
SELECT backup.preserve('inventory_stock_level_cost_20261121104716', $$
  SELECT id AS stock_level_id, product_id, warehouse_id, cost_price, cost_method::text AS cost_method, last_cost_update_at, movement_count, last_movement_at
    FROM inventory.stock_level
   WHERE cost_price IS NOT NULL OR movement_count > 0
$$);

DROP TRIGGER IF EXISTS _100_guard_ledger_columns ON inventory.stock_level;
DROP FUNCTION IF EXISTS inventory.tg_stock_level__guard_ledger_columns();
DROP FUNCTION IF EXISTS inventory.backfill_opening_balances(bigint, integer);
DROP TABLE IF EXISTS inventory.stock_movement;
DROP FUNCTION IF EXISTS inventory.tg_stock_movement__apply_to_level();
DROP FUNCTION IF EXISTS inventory.tg_stock_movement__forbid_change();
DROP FUNCTION IF EXISTS inventory.tg_stock_movement__check_transfer();

ALTER TABLE inventory.stock_level DROP CONSTRAINT IF EXISTS stock_level_on_hand_not_negative_check;
ALTER TABLE inventory.stock_level DROP CONSTRAINT IF EXISTS stock_level_reserved_not_negative_check;
ALTER TABLE inventory.stock_level DROP CONSTRAINT IF EXISTS stock_level_cost_price_not_negative_check;
ALTER TABLE inventory.stock_level
  DROP COLUMN IF EXISTS total_value,
  DROP COLUMN IF EXISTS cost_price,
  DROP COLUMN IF EXISTS cost_method,
  DROP COLUMN IF EXISTS last_cost_update_at,
  DROP COLUMN IF EXISTS movement_count,
  DROP COLUMN IF EXISTS last_movement_at;

DROP TYPE IF EXISTS inventory.movement_type;
DROP TYPE IF EXISTS inventory.reference_type;
DROP TYPE IF EXISTS inventory.cost_method;
