-- supply-ledger: no-transaction
-- Rollback of add_product_name_trgm_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.product_name_trgm_idx;
