/*
 * add_client_id: the expand step of the tenant key (issue 10, docs/design/tenancy.md): every tenant
 * table (catalog, inventory, traceability, audit.audit_log) gets client_id bigint NOT NULL
 * DEFAULT 1, the client DEFAULT that create_client made for the existing data, and a foreign key
 * <table>_client_id_fkey to core.client, ON DELETE and ON UPDATE RESTRICT (a client whose rows
 * remain cannot go), added NOT VALID.
 *
 * The backfill is instant, and in-migration on purpose (docs/CONVENTIONS.md, "Data backfills"):
 * PostgreSQL 11+ stores a constant default of a new column once in the catalog
 * (pg_attribute.attmissingval), and every existing row reads it from there. Nothing is rewritten,
 * updated, locked row by row or fired (no trigger runs, audit.audit_log logs nothing), so there is
 * no batch to run: the "backfill" costs the same for no rows and for a billion.
 * Measured with 1,000,000 rows in each of catalog.product, inventory.stock_level, goods_receipt and
 * stock_movement (`npx tsx bench/tenancy-locks.ts`; PostgreSQL 18 / 15, 2026-12-01, a 2-core
 * machine shared with other work): 13 / 10 ms for the whole migration; application writers of a
 * product and of a stock level waited at most 11 / 7 ms.
 *
 * Next: the unique indexes (client_id, id) and (client_id, <business key>), CONCURRENTLY, one
 * migration each (add_*_index), then swap_tenant_keys puts them in place of the old keys.
 *
 * Locks: ACCESS EXCLUSIVE on each tenant table for the ALTER TABLE (catalog changes only, no scan:
 * the column is NOT NULL with a non-null constant default), SHARE ROW EXCLUSIVE on each table and
 * on core.client for its foreign key (NOT VALID: no scan). Expected runtime: instant, whatever the
 * size of the tables. Rollback: down.sql (keeps the client of rows that are not client 1's, then
 * drops the columns). Checks: validate.sql.
 */


-- [CUSTOM_CHANGE_START] client_id DEFAULT 1, foreign keys NOT VALID
-- Prisma would add each column with its final default (the setting, set_client_id_defaults) and a
-- validated foreign key. Here the default is the constant 1, the DEFAULT client: PostgreSQL 11+
-- keeps a constant default of a new column in the catalog (pg_attribute.attmissingval), so that
-- every existing row reads 1 without being rewritten, and an application version that writes no
-- client_id keeps working. The foreign keys check new rows now and old ones in
-- validate_tenant_foreign_keys, without a scan under this migration's locks.
ALTER TABLE "catalog"."brand" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "catalog"."payment_term" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "catalog"."warehouse" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "catalog"."product" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "catalog"."supplier" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "catalog"."supplier_contact" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "inventory"."stock_level" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "inventory"."goods_receipt" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "inventory"."stock_movement" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "inventory"."stock_count" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "inventory"."stock_count_line" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."ingredient" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."ingredient_lot" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."recipe" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."recipe_ingredient" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."production_run" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."batch" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."batch_ingredient" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."pallet" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "traceability"."pallet_content" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;
ALTER TABLE "audit"."audit_log" ADD COLUMN "client_id" BIGINT NOT NULL DEFAULT 1;

ALTER TABLE "catalog"."brand" ADD CONSTRAINT "brand_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."payment_term" ADD CONSTRAINT "payment_term_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."warehouse" ADD CONSTRAINT "warehouse_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."supplier_contact" ADD CONSTRAINT "supplier_contact_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_level" ADD CONSTRAINT "stock_level_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_movement" ADD CONSTRAINT "stock_movement_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count" ADD CONSTRAINT "stock_count_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."ingredient" ADD CONSTRAINT "ingredient_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."ingredient_lot" ADD CONSTRAINT "ingredient_lot_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."recipe" ADD CONSTRAINT "recipe_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."recipe_ingredient" ADD CONSTRAINT "recipe_ingredient_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."production_run" ADD CONSTRAINT "production_run_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch" ADD CONSTRAINT "batch_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch_ingredient" ADD CONSTRAINT "batch_ingredient_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet" ADD CONSTRAINT "pallet_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet_content" ADD CONSTRAINT "pallet_content_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "audit"."audit_log" ADD CONSTRAINT "audit_log_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
-- [CUSTOM_CHANGE_END]
