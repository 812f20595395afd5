-- Rollback of add_financial_tracking: keep the budgets, the cost tracking and the products' cost
-- columns (with the product's client and id) in backup tables, then drop the view and function,
-- the tables, the schema's default privileges and the schema (RESTRICT), and the product columns
-- with their CHECK and enum.
SELECT backup.preserve('finance_budget_20261202100100', 'SELECT * FROM finance.budget');
SELECT backup.preserve('finance_cost_tracking_20261202100100', 'SELECT * FROM finance.cost_tracking');
SELECT backup.preserve('catalog_product_costs_20261202100100',
  'SELECT client_id, id, unit_cost, unit_price, reorder_cost, holding_cost_rate, last_cost_update, cost_source::text AS cost_source FROM catalog.product
    WHERE num_nonnulls(unit_cost, unit_price, reorder_cost, holding_cost_rate, last_cost_update, cost_source) > 0');

DROP FUNCTION finance.refresh_cost_tracking(date, integer, numeric);
DROP VIEW finance.v_budget_variance;
DROP TABLE "finance"."cost_tracking";
DROP TABLE "finance"."budget";

ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA finance REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA finance REVOKE USAGE, SELECT ON SEQUENCES FROM supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA finance REVOKE EXECUTE ON FUNCTIONS FROM supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA finance REVOKE SELECT ON TABLES FROM supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA finance REVOKE SELECT ON SEQUENCES FROM supply_ledger_backup;
DROP SCHEMA "finance";

ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_costs_not_negative_check";
ALTER TABLE "catalog"."product" DROP COLUMN "cost_source",
  DROP COLUMN "holding_cost_rate",
  DROP COLUMN "last_cost_update",
  DROP COLUMN "reorder_cost",
  DROP COLUMN "unit_cost",
  DROP COLUMN "unit_price";
DROP TYPE "catalog"."cost_source";
