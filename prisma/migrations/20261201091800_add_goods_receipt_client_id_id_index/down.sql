-- supply-ledger: no-transaction
-- Rollback of add_goods_receipt_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS inventory.goods_receipt_client_id_id_key;
