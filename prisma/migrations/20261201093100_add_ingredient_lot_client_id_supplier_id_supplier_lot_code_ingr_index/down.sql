-- supply-ledger: no-transaction
-- Rollback of add_ingredient_lot_client_id_supplier_id_supplier_lot_code_ingr_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.ingredient_lot_client_id_supplier_id_supplier_lot_code_ingr_key;
