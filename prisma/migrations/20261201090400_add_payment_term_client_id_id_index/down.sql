-- supply-ledger: no-transaction
-- Rollback of add_payment_term_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.payment_term_client_id_id_key;
