/*
 * create_client: the tenant table (issue 10, docs/design/tenancy.md). Schema core and core.client,
 * the client companies whose data every domain holds: each row of a tenant table will belong to
 * one of them (client_id), and row-level security will show a connection only the rows of the
 * client its setting app.client_id names.
 *
 * The first of the tenancy migrations, which are safe on a large live database (expand, indexes
 * CONCURRENTLY, swap, validate, contract; docs/design/tenancy.md#migrations):
 * create_client → add_client_id → 48 add_*_index (CONCURRENTLY, one per migration) →
 * swap_tenant_keys → validate_tenant_foreign_keys → set_client_id_defaults → create_roles →
 * add_client_id_to_inventory_views → enable_row_level_security → add_schema_integrity_check.
 * Everything up to validate_tenant_foreign_keys works under an application version that knows no
 * clients.
 *
 * Existing data: when any tenant table holds rows, the client DEFAULT (id 1) is created here, and
 * add_client_id makes every existing row its. An empty database gets no client: the seed, or the
 * operator, creates them (`INSERT INTO core.client (code, name)`).
 *
 * Locks: none on existing tables (the rows are only looked for, one index probe per table).
 * Expected runtime: instant. Rollback: down.sql (keeps the clients in a backup table; refused while
 * a table still refers to core.client). Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "core";
-- CreateTable
CREATE TABLE "core"."client" (
    "id" BIGSERIAL NOT NULL,
    "code" CITEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE UNIQUE INDEX "client_code_key" ON "core"."client"("code");

-- [CUSTOM_CHANGE_START] comments, updated_at trigger, the DEFAULT client
-- Prisma has no comments, triggers or data.
COMMENT ON SCHEMA "core" IS 'The clients (tenants) whose data every domain holds: core.client, which every tenant table''s client_id refers to.';
COMMENT ON TABLE "core"."client" IS 'Client companies. Every row of a tenant table belongs to one (client_id); row-level security shows a connection the rows of the client its setting app.client_id names. code is what --client CODE names.';

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "core"."client"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();

-- The data from before clients existed belongs to one client, id 1, which add_client_id makes the
-- default of every client_id column until set_client_id_defaults.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit.audit_log) OR EXISTS (SELECT 1 FROM catalog.brand) OR EXISTS (SELECT 1 FROM catalog.product)
     OR EXISTS (SELECT 1 FROM catalog.supplier) OR EXISTS (SELECT 1 FROM catalog.supplier_contact) OR EXISTS (SELECT 1 FROM catalog.payment_term)
     OR EXISTS (SELECT 1 FROM catalog.warehouse) OR EXISTS (SELECT 1 FROM inventory.stock_level) OR EXISTS (SELECT 1 FROM inventory.goods_receipt)
     OR EXISTS (SELECT 1 FROM inventory.stock_movement) OR EXISTS (SELECT 1 FROM inventory.stock_count)
     OR EXISTS (SELECT 1 FROM inventory.stock_count_line) OR EXISTS (SELECT 1 FROM traceability.ingredient)
     OR EXISTS (SELECT 1 FROM traceability.ingredient_lot) OR EXISTS (SELECT 1 FROM traceability.recipe)
     OR EXISTS (SELECT 1 FROM traceability.recipe_ingredient) OR EXISTS (SELECT 1 FROM traceability.production_run)
     OR EXISTS (SELECT 1 FROM traceability.batch) OR EXISTS (SELECT 1 FROM traceability.batch_ingredient)
     OR EXISTS (SELECT 1 FROM traceability.pallet) OR EXISTS (SELECT 1 FROM traceability.pallet_content) THEN
    INSERT INTO core.client (id, code, name) VALUES (1, 'DEFAULT', 'Default client: the data from before clients existed');
    -- The next client the sequence numbers is 2.
    PERFORM setval(pg_get_serial_sequence('core.client', 'id'), 1);
  END IF;
END
$$;
-- [CUSTOM_CHANGE_END]
