/*
 * create_relief_baseline: the DMIS relief baseline (seed 001, issue 12, docs/design/replenishment.md)
 * as it stood before EP-02, on this repository's one stock truth: the schema replenishment with
 * relief events (DMIS event), the relief settings of catalog warehouses and products (DMIS
 * warehouse and item columns: warehouse_setting, item_setting, one row per warehouse or product),
 * transfers with their lines (DMIS transfer: the document; stock moves only through the inventory
 * ledger) and donations with their lines (DMIS donation, which EP-02's inbound view reads). A DMIS
 * item is a catalog.product, a warehouse a catalog.warehouse; there is no second stock table.
 * The next migration, add_supply_replenishment (20261203100100), is the guide's EP-02 change.
 *
 * Deviations from DMIS: every table is a tenant table (client_id leading its keys and inside every
 * foreign key, row-level security forced, one policy), times are timestamptz (DMIS: timestamp(0)
 * without time zone, whose comparisons with now() depend on the session's TimeZone), ids bigint,
 * statuses text with a CHECK, updated_at kept by trigger and every change written to
 * audit.audit_log (_900_record_change).
 *
 * Privileges: a new domain schema, so USAGE to the app, readonly and backup roles and the default
 * privileges create_roles gives the other domains (DML to the app role, SELECT to readonly and
 * backup, EXECUTE on functions to app and readonly, none to PUBLIC).
 *
 * Locks: only new objects; SHARE ROW EXCLUSIVE on catalog.warehouse, catalog.product and
 * core.client for the foreign keys (the new tables are empty: nothing to check). Runtime: instant,
 * independent of data. Rollback: down.sql (rows kept in backup.*). Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "replenishment";
-- CreateTable
CREATE TABLE "replenishment"."event" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL DEFAULT CURRENT_USER,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL DEFAULT CURRENT_USER,
    CONSTRAINT "event_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."warehouse_setting" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "warehouse_id" BIGINT NOT NULL,
    "event_id" BIGINT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "warehouse_setting_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."item_setting" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "product_id" BIGINT NOT NULL,
    "category" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "item_setting_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."transfer" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "transfer_no" TEXT NOT NULL,
    "event_id" BIGINT,
    "from_warehouse_id" BIGINT NOT NULL,
    "to_warehouse_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL DEFAULT CURRENT_USER,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "transfer_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."transfer_item" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "transfer_id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    CONSTRAINT "transfer_item_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."donation" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "donation_no" TEXT NOT NULL,
    "event_id" BIGINT,
    "warehouse_id" BIGINT,
    "donor_name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PLEDGED',
    "expected_arrival" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "donation_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "replenishment"."donation_item" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "donation_id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "received_qty" DECIMAL(18,4) NOT NULL DEFAULT 0,
    CONSTRAINT "donation_item_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateIndex
CREATE UNIQUE INDEX "event_client_id_code_key" ON "replenishment"."event"("client_id", "code");
-- CreateIndex
CREATE INDEX "warehouse_setting_event_id_idx" ON "replenishment"."warehouse_setting"("event_id");
-- CreateIndex
CREATE UNIQUE INDEX "warehouse_setting_client_id_warehouse_id_key" ON "replenishment"."warehouse_setting"("client_id", "warehouse_id");
-- CreateIndex
CREATE UNIQUE INDEX "item_setting_client_id_product_id_key" ON "replenishment"."item_setting"("client_id", "product_id");
-- CreateIndex
CREATE INDEX "transfer_event_id_idx" ON "replenishment"."transfer"("event_id");
-- CreateIndex
CREATE INDEX "transfer_from_warehouse_id_idx" ON "replenishment"."transfer"("from_warehouse_id");
-- CreateIndex
CREATE INDEX "transfer_to_warehouse_id_idx" ON "replenishment"."transfer"("to_warehouse_id");
-- CreateIndex
CREATE UNIQUE INDEX "transfer_client_id_transfer_no_key" ON "replenishment"."transfer"("client_id", "transfer_no");
-- CreateIndex
CREATE INDEX "transfer_item_product_id_idx" ON "replenishment"."transfer_item"("product_id");
-- CreateIndex
CREATE UNIQUE INDEX "transfer_item_client_id_transfer_id_product_id_key" ON "replenishment"."transfer_item"("client_id", "transfer_id", "product_id");
-- CreateIndex
CREATE INDEX "donation_event_id_idx" ON "replenishment"."donation"("event_id");
-- CreateIndex
CREATE INDEX "donation_warehouse_id_idx" ON "replenishment"."donation"("warehouse_id");
-- CreateIndex
CREATE UNIQUE INDEX "donation_client_id_donation_no_key" ON "replenishment"."donation"("client_id", "donation_no");
-- CreateIndex
CREATE INDEX "donation_item_product_id_idx" ON "replenishment"."donation_item"("product_id");
-- CreateIndex
CREATE UNIQUE INDEX "donation_item_client_id_donation_id_product_id_key" ON "replenishment"."donation_item"("client_id", "donation_id", "product_id");
-- AddForeignKey
ALTER TABLE "replenishment"."event" ADD CONSTRAINT "event_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."warehouse_setting" ADD CONSTRAINT "warehouse_setting_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."warehouse_setting" ADD CONSTRAINT "warehouse_setting_event_id_fkey" FOREIGN KEY ("client_id", "event_id") REFERENCES "replenishment"."event"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."warehouse_setting" ADD CONSTRAINT "warehouse_setting_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."item_setting" ADD CONSTRAINT "item_setting_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."item_setting" ADD CONSTRAINT "item_setting_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT "transfer_event_id_fkey" FOREIGN KEY ("client_id", "event_id") REFERENCES "replenishment"."event"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT "transfer_from_warehouse_id_fkey" FOREIGN KEY ("client_id", "from_warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT "transfer_to_warehouse_id_fkey" FOREIGN KEY ("client_id", "to_warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT "transfer_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer_item" ADD CONSTRAINT "transfer_item_transfer_id_fkey" FOREIGN KEY ("client_id", "transfer_id") REFERENCES "replenishment"."transfer"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer_item" ADD CONSTRAINT "transfer_item_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."transfer_item" ADD CONSTRAINT "transfer_item_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation" ADD CONSTRAINT "donation_event_id_fkey" FOREIGN KEY ("client_id", "event_id") REFERENCES "replenishment"."event"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation" ADD CONSTRAINT "donation_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation" ADD CONSTRAINT "donation_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation_item" ADD CONSTRAINT "donation_item_donation_id_fkey" FOREIGN KEY ("client_id", "donation_id") REFERENCES "replenishment"."donation"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation_item" ADD CONSTRAINT "donation_item_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "replenishment"."donation_item" ADD CONSTRAINT "donation_item_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- [CUSTOM_CHANGE_START] schema privileges
-- Prisma has no privileges. The same as create_roles gives the other domain schemas.
COMMENT ON SCHEMA "replenishment" IS 'Relief replenishment (seed 001, DMIS EP-02): events and phases, relief settings of warehouses and products, transfers, donations, needs lists, procurement, lead times.';
GRANT USAGE ON SCHEMA replenishment TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA replenishment TO supply_ledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA replenishment TO supply_ledger_app;
GRANT SELECT ON ALL TABLES IN SCHEMA replenishment TO supply_ledger_readonly, supply_ledger_backup;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA replenishment TO supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  GRANT USAGE, SELECT ON SEQUENCES TO supply_ledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  GRANT EXECUTE ON FUNCTIONS TO supply_ledger_app, supply_ledger_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  GRANT SELECT ON TABLES TO supply_ledger_readonly, supply_ledger_backup;
ALTER DEFAULT PRIVILEGES FOR ROLE supply_ledger_owner IN SCHEMA replenishment
  GRANT SELECT ON SEQUENCES TO supply_ledger_backup;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] rules
-- Prisma has no CHECK constraints.
ALTER TABLE "replenishment"."event" ADD CONSTRAINT event_status_check CHECK (status IN ('ACTIVE', 'CLOSED'));
ALTER TABLE "replenishment"."event" ADD CONSTRAINT event_ended_after_start_check CHECK (ended_at IS NULL OR ended_at >= started_at);
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT transfer_status_check CHECK (status IN ('DRAFT', 'DISPATCHED', 'RECEIVED', 'CANCELLED'));
ALTER TABLE "replenishment"."transfer" ADD CONSTRAINT transfer_distinct_warehouses_check CHECK (from_warehouse_id <> to_warehouse_id);
ALTER TABLE "replenishment"."transfer_item" ADD CONSTRAINT transfer_item_quantity_positive_check CHECK (quantity > 0);
ALTER TABLE "replenishment"."donation" ADD CONSTRAINT donation_status_check CHECK (status IN ('PLEDGED', 'CONFIRMED', 'RECEIVED', 'CANCELLED'));
ALTER TABLE "replenishment"."donation_item" ADD CONSTRAINT donation_item_quantity_positive_check CHECK (quantity > 0);
ALTER TABLE "replenishment"."donation_item" ADD CONSTRAINT donation_item_received_check CHECK (received_qty >= 0 AND received_qty <= quantity);
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] row-level security, comments, updated_at and the audit trail
-- Prisma has no row-level security, comments or triggers. One policy per table, as
-- enable_row_level_security gives every tenant table.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['event', 'warehouse_setting', 'item_setting', 'transfer', 'transfer_item', 'donation', 'donation_item'] LOOP
    EXECUTE format('ALTER TABLE replenishment.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE replenishment.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON replenishment.%I FOR ALL USING (client_id = NULLIF(current_setting(%L, true), %L)::bigint) WITH CHECK (client_id = NULLIF(current_setting(%L, true), %L)::bigint)',
                   t, 'app.client_id', '', 'app.client_id', '');
    EXECUTE format('COMMENT ON POLICY tenant_isolation ON replenishment.%I IS %L', t,
                   'Rows of the client app.client_id names: visible and writable; nothing without one.');
    EXECUTE format('CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON replenishment.%I FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change()', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['event', 'warehouse_setting', 'item_setting', 'transfer', 'donation'] LOOP
    EXECUTE format('CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON replenishment.%I FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at()', t);
  END LOOP;
END
$$;
COMMENT ON TABLE "replenishment"."event" IS 'Relief events (DMIS event): a disaster response stock is planned for; code unique per client.';
COMMENT ON TABLE "replenishment"."warehouse_setting" IS 'Relief settings of a catalog warehouse (DMIS warehouse columns), one row per warehouse, with the event it serves.';
COMMENT ON TABLE "replenishment"."item_setting" IS 'Relief settings of a catalog product (DMIS item columns), one row per product.';
COMMENT ON TABLE "replenishment"."transfer" IS 'Transfers of relief stock between two warehouses (DMIS transfer): the document; stock moves only through inventory.stock_movement.';
COMMENT ON TABLE "replenishment"."transfer_item" IS 'Product lines of a transfer.';
COMMENT ON TABLE "replenishment"."donation" IS 'Donations pledged for a relief event (DMIS donation), received at one intake warehouse.';
COMMENT ON TABLE "replenishment"."donation_item" IS 'Product lines of a donation, with the quantity received so far.';
-- [CUSTOM_CHANGE_END]
