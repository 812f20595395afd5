-- supply-ledger: no-transaction
-- Rollback of add_supplier_payment_term_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.supplier_payment_term_id_idx;
