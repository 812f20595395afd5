-- Rollback of add_schema_fingerprint: nothing to keep (the fingerprint is derived from the catalog,
-- and the next deploy records it again).
DROP TABLE ops.schema_object_fingerprint;
DROP FUNCTION ops.schema_fingerprint();
