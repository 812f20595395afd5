-- supply-ledger: no-transaction
-- Rollback of add_batch_client_id_tlc_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.batch_client_id_tlc_key;
