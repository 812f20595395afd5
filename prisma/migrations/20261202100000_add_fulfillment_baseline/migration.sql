/*
 * add_fulfillment_baseline: what the Fulfillment Operations Dashboard guide (seed 004) presumes
 * before its first migration: the users of a client and the order requests they raise, with their
 * items (issue 11). The first migration of the fulfillment domain: it creates its schema, grants
 * USAGE on it to the application, readonly and backup roles, and gives the schema the default
 * privileges the other domain schemas got from create_roles (tables, sequences and functions the
 * owner creates here later are granted as in catalog or inventory).
 *
 * Every table is a client's (docs/design/tenancy.md): client_id leads its key and every unique key,
 * foreign keys between tenant tables are composite with ON UPDATE RESTRICT, row-level security is
 * enabled and forced with the one tenant_isolation policy. Users sit in fulfillment rather than core:
 * core holds the clients only (docs/CONVENTIONS.md), and the users are the dashboard's.
 *
 * Related: add_financial_tracking, add_shipment_tracking, add_benchmarking,
 * add_dashboard_personalization and add_product_lead_times build on these tables.
 *
 * Locks: none on existing data (new schema and tables; SHARE ROW EXCLUSIVE on catalog.warehouse and
 * catalog.product for the foreign keys, a moment: the new tables are empty).
 * Expected runtime: instant, whatever the size of the database.
 * Rollback: down.sql (rows kept in backup.*). Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "fulfillment";
-- CreateEnum
CREATE TYPE "fulfillment"."order_request_status" AS ENUM ('DRAFT', 'SUBMITTED', 'APPROVED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED');
-- CreateTable
CREATE TABLE "fulfillment"."app_user" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "email" CITEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_user_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "fulfillment"."order_request" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "order_number" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "customer_reference" TEXT,
    "ship_to_address" TEXT,
    "status" "fulfillment"."order_request_status" NOT NULL DEFAULT 'DRAFT',
    "warehouse_id" BIGINT NOT NULL,
    "requested_by_user_id" BIGINT,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "order_request_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "fulfillment"."order_request_item" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "order_request_id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "order_request_item_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateIndex
CREATE UNIQUE INDEX "app_user_client_id_email_key" ON "fulfillment"."app_user"("client_id", "email");
-- CreateIndex
CREATE INDEX "order_request_warehouse_id_idx" ON "fulfillment"."order_request"("warehouse_id");
-- CreateIndex
CREATE INDEX "order_request_requested_by_user_id_idx" ON "fulfillment"."order_request"("requested_by_user_id");
-- CreateIndex
CREATE UNIQUE INDEX "order_request_client_id_order_number_key" ON "fulfillment"."order_request"("client_id", "order_number");
-- CreateIndex
CREATE INDEX "order_request_item_product_id_idx" ON "fulfillment"."order_request_item"("product_id");
-- CreateIndex
CREATE UNIQUE INDEX "order_request_item_client_id_order_request_id_product_id_key" ON "fulfillment"."order_request_item"("client_id", "order_request_id", "product_id");
-- AddForeignKey
ALTER TABLE "fulfillment"."app_user" ADD CONSTRAINT "app_user_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request" ADD CONSTRAINT "order_request_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request" ADD CONSTRAINT "order_request_requested_by_user_id_fkey" FOREIGN KEY ("client_id", "requested_by_user_id") REFERENCES "fulfillment"."app_user"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request" ADD CONSTRAINT "order_request_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request_item" ADD CONSTRAINT "order_request_item_order_request_id_fkey" FOREIGN KEY ("client_id", "order_request_id") REFERENCES "fulfillment"."order_request"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request_item" ADD CONSTRAINT "order_request_item_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."order_request_item" ADD CONSTRAINT "order_request_item_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- [CUSTOM_CHANGE_START] rules Prisma cannot state
-- Prisma has no CHECK constraints or triggers.
ALTER TABLE "fulfillment"."order_request_item" ADD CONSTRAINT "order_request_item_quantity_positive_check" CHECK (quantity > 0);
ALTER TABLE "fulfillment"."app_user" ADD CONSTRAINT "app_user_email_shape_check" CHECK (email ~ '^[^@\s]+@[^@\s]+$');

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "fulfillment"."app_user" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "fulfillment"."order_request" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "fulfillment"."order_request_item" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."app_user" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."order_request" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."order_request_item" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] tenancy: row-level security, grants, default privileges
-- Prisma has no row-level security, grants or default privileges. The same policy as every tenant
-- table (enable_row_level_security); the schema's grants as create_roles gave the other domains.
ALTER TABLE "fulfillment"."app_user" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fulfillment"."app_user" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fulfillment"."app_user" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "fulfillment"."app_user" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "fulfillment"."order_request" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fulfillment"."order_request" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fulfillment"."order_request" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "fulfillment"."order_request" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "fulfillment"."order_request_item" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fulfillment"."order_request_item" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fulfillment"."order_request_item" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "fulfillment"."order_request_item" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';

GRANT USAGE ON SCHEMA fulfillment TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA fulfillment TO supply_ledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA fulfillment TO supply_ledger_app;
GRANT SELECT ON ALL TABLES IN SCHEMA fulfillment TO supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA fulfillment TO supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment GRANT USAGE, SELECT ON SEQUENCES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment GRANT EXECUTE ON FUNCTIONS TO supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment GRANT SELECT ON TABLES TO supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA fulfillment GRANT SELECT ON SEQUENCES TO supply_ledger_backup;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] comments
-- Prisma has no comments.
COMMENT ON SCHEMA "fulfillment" IS 'Fulfillment operations (seed 004): users of a client, order requests and their items, shipments, carrier events.';
COMMENT ON TABLE "fulfillment"."app_user" IS 'Users of a client (dashboard sign-in, who raised an order request, whose layouts); email unique per client whatever the case.';
COMMENT ON TABLE "fulfillment"."order_request" IS 'Order requests of a client: a customer''s order to ship from one warehouse; order_number unique per client.';
COMMENT ON TABLE "fulfillment"."order_request_item" IS 'Products an order request asks for, one line per product, quantity positive.';
-- [CUSTOM_CHANGE_END]
