/*
 * set_client_id_defaults: the contract step of the tenant key (issue 10, docs/design/tenancy.md):
 * every client_id column defaults to the client the setting app.client_id names, read fail-closed
 * as NULLIF(current_setting('app.client_id', true), '')::bigint. An application working for a
 * client (SET LOCAL app.client_id = '42' in its transaction, or -c app.client_id=42 when its
 * connection starts) inserts rows without naming client_id; with no client set (never set, or
 * reset to '' after a SET LOCAL) the default is NULL and the insert is refused (NOT NULL).
 *
 * Deploy it once no application version that writes no client_id runs any more: until now such a
 * version's rows went to client 1 (DEFAULT, add_client_id), from now on they are refused. Existing
 * rows do not change (their client_id is stored, or read from the catalog's missing value).
 *
 * Prisma renders this change itself (the schema's @default(dbgenerated(...)) is the expression
 * PostgreSQL stores).
 *
 * Locks: ACCESS EXCLUSIVE on each tenant table for a moment (catalog change, no scan).
 * Expected runtime: instant. Rollback: down.sql (DEFAULT 1 again). Checks: validate.sql.
 */


-- AlterTable
ALTER TABLE "catalog"."brand" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "catalog"."payment_term" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "catalog"."warehouse" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "catalog"."product" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "catalog"."supplier" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "catalog"."supplier_contact" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "inventory"."stock_level" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "inventory"."goods_receipt" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "inventory"."stock_movement" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "inventory"."stock_count" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "inventory"."stock_count_line" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."ingredient" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."ingredient_lot" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."recipe" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."recipe_ingredient" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."production_run" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."batch" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."batch_ingredient" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."pallet" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "traceability"."pallet_content" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
-- AlterTable
ALTER TABLE "audit"."audit_log" ALTER COLUMN "client_id" SET DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint;
