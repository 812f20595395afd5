-- Rollback of create_client: keep the clients in a backup table, then drop the table and the
-- schema (RESTRICT, the default: while a tenant table's client_id still refers to core.client,
-- add_client_id has not been rolled back, and this refuses).
SELECT backup.preserve('core_client_20261201090000', 'SELECT * FROM core.client');

DROP TABLE "core"."client";
DROP SCHEMA "core";
