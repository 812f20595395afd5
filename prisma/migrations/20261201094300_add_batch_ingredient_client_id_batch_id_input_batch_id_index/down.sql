-- supply-ledger: no-transaction
-- Rollback of add_batch_ingredient_client_id_batch_id_input_batch_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.batch_ingredient_client_id_batch_id_input_batch_id_key;
