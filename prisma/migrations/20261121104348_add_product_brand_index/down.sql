-- supply-ledger: no-transaction
-- Rollback of add_product_brand_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS catalog.product_brand_id_idx;
