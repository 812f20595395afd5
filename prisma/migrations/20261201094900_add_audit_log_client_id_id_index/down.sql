-- supply-ledger: no-transaction
-- Rollback of add_audit_log_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS audit.audit_log_client_id_id_key;
