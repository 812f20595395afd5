-- add_supplier_payment_term_index: the index behind supplier.payment_term_id (every foreign key is
-- indexed), built CONCURRENTLY so that writes to catalog.supplier go on meanwhile. The only
-- statement of its migration: CREATE INDEX CONCURRENTLY cannot run in a transaction.
-- Locks: SHARE UPDATE EXCLUSIVE on catalog.supplier. Expected runtime: instant for thousands of
-- suppliers. Rollback: down.sql. Checks: validate.sql.
CREATE INDEX CONCURRENTLY "supplier_payment_term_id_idx" ON "catalog"."supplier"("payment_term_id");
