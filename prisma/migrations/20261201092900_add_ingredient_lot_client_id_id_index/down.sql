-- supply-ledger: no-transaction
-- Rollback of add_ingredient_lot_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.ingredient_lot_client_id_id_key;
