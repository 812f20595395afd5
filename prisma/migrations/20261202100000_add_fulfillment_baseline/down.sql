-- Rollback of add_fulfillment_baseline: keep every row in backup tables, then drop the tables,
-- dependants first, the enum, the schema's default privileges and the schema (RESTRICT, the
-- default: a schema that still holds objects means a later migration has not been rolled back).
SELECT backup.preserve('fulfillment_order_request_item_20261202100000', 'SELECT * FROM fulfillment.order_request_item');
SELECT backup.preserve('fulfillment_order_request_20261202100000', 'SELECT id, client_id, order_number, customer_name, customer_reference, ship_to_address, status::text AS status, warehouse_id, requested_by_user_id, requested_at, created_at, updated_at FROM fulfillment.order_request');
SELECT backup.preserve('fulfillment_app_user_20261202100000', 'SELECT * FROM fulfillment.app_user');

DROP TABLE "fulfillment"."order_request_item";
DROP TABLE "fulfillment"."order_request";
DROP TABLE "fulfillment"."app_user";
DROP TYPE "fulfillment"."order_request_status";

ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment REVOKE USAGE, SELECT ON SEQUENCES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment REVOKE EXECUTE ON FUNCTIONS FROM supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment REVOKE SELECT ON TABLES FROM supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
DROP SCHEMA "fulfillment";
