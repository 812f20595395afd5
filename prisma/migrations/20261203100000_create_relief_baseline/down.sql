-- Rollback of create_relief_baseline: keep every row in backup tables, then drop the tables,
-- dependants first, the default privileges and the schema (RESTRICT, the default: a schema that
-- still holds objects means a later migration has not been rolled back).
SELECT backup.preserve('replenishment_donation_item_20261203100000', 'SELECT * FROM replenishment.donation_item');
SELECT backup.preserve('replenishment_donation_20261203100000', 'SELECT * FROM replenishment.donation');
SELECT backup.preserve('replenishment_transfer_item_20261203100000', 'SELECT * FROM replenishment.transfer_item');
SELECT backup.preserve('replenishment_transfer_20261203100000', 'SELECT * FROM replenishment.transfer');
SELECT backup.preserve('replenishment_item_setting_20261203100000', 'SELECT * FROM replenishment.item_setting');
SELECT backup.preserve('replenishment_warehouse_setting_20261203100000', 'SELECT * FROM replenishment.warehouse_setting');
SELECT backup.preserve('replenishment_event_20261203100000', 'SELECT * FROM replenishment.event');

DROP TABLE "replenishment"."donation_item";
DROP TABLE "replenishment"."donation";
DROP TABLE "replenishment"."transfer_item";
DROP TABLE "replenishment"."transfer";
DROP TABLE "replenishment"."item_setting";
DROP TABLE "replenishment"."warehouse_setting";
DROP TABLE "replenishment"."event";

ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  REVOKE USAGE, SELECT ON SEQUENCES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  REVOKE EXECUTE ON FUNCTIONS FROM supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  REVOKE SELECT ON TABLES FROM supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
REVOKE USAGE ON SCHEMA replenishment FROM supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
DROP SCHEMA "replenishment";
