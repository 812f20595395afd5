-- supply-ledger: no-transaction
-- Rollback of add_batch_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.batch_client_id_id_key;
