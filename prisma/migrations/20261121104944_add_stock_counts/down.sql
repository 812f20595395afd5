-- Rollback of add_stock_counts: keep the counts and their lines (status as text), then drop them.
-- The adjustment movements posted stay in the ledger.
SELECT backup.preserve('inventory_stock_count_20261121104944', 'SELECT id, warehouse_id, status::text AS status, counted_at, posted_at, note, created_at, updated_at FROM inventory.stock_count');
SELECT backup.preserve('inventory_stock_count_line_20261121104944', 'SELECT * FROM inventory.stock_count_line');
DROP FUNCTION IF EXISTS inventory.post_stock_count(bigint);
DROP TABLE IF EXISTS inventory.stock_count_line;
DROP FUNCTION IF EXISTS inventory.tg_stock_count_line__freeze_when_posted();
DROP TABLE IF EXISTS inventory.stock_count;
DROP FUNCTION IF EXISTS inventory.tg_stock_count__freeze_when_posted();
DROP TYPE IF EXISTS inventory.stock_count_status;
