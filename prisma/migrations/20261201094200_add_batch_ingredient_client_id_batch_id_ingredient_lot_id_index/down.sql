-- supply-ledger: no-transaction
-- Rollback of add_batch_ingredient_client_id_batch_id_ingredient_lot_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.batch_ingredient_client_id_batch_id_ingredient_lot_id_key;
