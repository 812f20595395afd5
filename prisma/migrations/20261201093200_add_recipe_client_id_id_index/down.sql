-- supply-ledger: no-transaction
-- Rollback of add_recipe_client_id_id_index, without blocking writes.
DROP INDEX CONCURRENTLY IF EXISTS traceability.recipe_client_id_id_key;
