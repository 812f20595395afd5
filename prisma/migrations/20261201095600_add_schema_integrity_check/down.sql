-- Rollback of add_schema_integrity_check: the function goes, and the seven table comments it added.
DROP FUNCTION core.validate_schema_integrity();
COMMENT ON TABLE traceability.pallet_content IS NULL;
COMMENT ON TABLE traceability.pallet IS NULL;
COMMENT ON TABLE traceability.production_run IS NULL;
COMMENT ON TABLE traceability.recipe_ingredient IS NULL;
COMMENT ON TABLE traceability.recipe IS NULL;
COMMENT ON TABLE traceability.ingredient_lot IS NULL;
COMMENT ON TABLE traceability.ingredient IS NULL;
