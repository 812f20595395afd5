-- Rollback of create_traceability_baseline: keep every row in backup tables, then drop the
-- tables, dependants first, and the schema (RESTRICT, the default: a schema that still holds
-- objects means a later migration has not been rolled back).
SELECT backup.preserve('traceability_pallet_20261121112712', 'SELECT * FROM traceability.pallet');
SELECT backup.preserve('traceability_production_run_20261121112712', 'SELECT * FROM traceability.production_run');
SELECT backup.preserve('traceability_recipe_20261121112712', 'SELECT * FROM traceability.recipe');

DROP TABLE "traceability"."pallet";
DROP TABLE "traceability"."production_run";
DROP TABLE "traceability"."recipe";
DROP SCHEMA "traceability";
