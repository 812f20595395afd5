/*
 * swap_tenant_keys: client_id leads every key of the tenant tables (issue 10,
 * docs/design/tenancy.md), so that a row can never refer to another client's row: a batch of client A
 * consuming a lot of client B, a transfer into B's warehouse, a count line for B's product are all
 * refused by a key.
 *
 * In one transaction:
 * - the 33 foreign keys between tenant tables go, and come back under the same names with client_id:
 *   (client_id, x_id) REFERENCES parent (client_id, id), ON DELETE as before (RESTRICT, or CASCADE
 *   for rows meaningless without their parent), ON UPDATE RESTRICT; NOT VALID, so that nothing is
 *   scanned here (validate_tenant_foreign_keys validates them);
 * - every primary key becomes (client_id, id), taking the unique index its add_<table>_client_id_id_index
 *   migration built CONCURRENTLY (PRIMARY KEY USING INDEX); ids stay bigint from their sequences,
 *   unique across clients;
 * - every unique index gives way to its (client_id, ...) twin built CONCURRENTLY; the partial ones
 *   (one primary contact per supplier, one active recipe version per product) take the old names;
 * - what looked rows up by the old keys looks them up by the row's client: the ledger trigger
 *   (levels, idempotency keys, transfers, reversals and returns), the transfer check, the stock
 *   count freeze and posting, the consumption and pallet triggers, the audit trigger (which writes
 *   the changed row's client_id), and the three batch functions of the backfills, which now go
 *   through one client's rows at a time (the client app.client_id names: the backfill runner runs
 *   them client by client as supply_ledger_owner).
 *
 * An application version that knows no clients keeps working: its rows take client_id 1 (the
 * column's default until set_client_id_defaults), and the triggers look up that row's client.
 *
 * Locks: ACCESS EXCLUSIVE on every tenant table until the commit, and nothing is scanned or built:
 * the primary keys take indexes that exist (their columns are NOT NULL already), the unique indexes
 * are dropped, the foreign keys are NOT VALID. Measured with 1,000,000 rows in each of product,
 * stock_level, goods_receipt and stock_movement (bench/tenancy-locks.ts; PostgreSQL 18 / 15,
 * 2026-12-01, a 2-core machine shared with other work): 170 / 392 ms, during which application
 * writers of a product and of a stock level waited up to 34 / 278 ms (dropping the old indexes'
 * files is what grows with the tables). Taking 21 ACCESS EXCLUSIVE locks waits for every
 * transaction that uses one of the tables; the runner's lock_timeout (2 s) and retries keep that
 * wait short. Rollback: down.sql (refused while more than one client has rows; rebuilds the old
 * keys). Checks: validate.sql.
 */


-- [CUSTOM_CHANGE_START] keys led by client_id, from the indexes built CONCURRENTLY
-- Prisma would rebuild every key here (ADD CONSTRAINT ... PRIMARY KEY, CREATE UNIQUE INDEX) and
-- validate every foreign key, under this migration's ACCESS EXCLUSIVE locks. Instead the primary
-- keys take the indexes built CONCURRENTLY (USING INDEX), the old unique indexes give way to the
-- ones built CONCURRENTLY, and the foreign keys are added NOT VALID, checked for new rows at once
-- and for existing ones by validate_tenant_foreign_keys. The foreign keys keep their names.

-- The foreign keys between tenant tables, which refer to the primary keys about to change.
ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_brand_id_fkey";
ALTER TABLE "catalog"."supplier" DROP CONSTRAINT "supplier_payment_term_id_fkey";
ALTER TABLE "catalog"."supplier_contact" DROP CONSTRAINT "supplier_contact_supplier_id_fkey";
ALTER TABLE "inventory"."stock_level" DROP CONSTRAINT "stock_level_product_id_fkey";
ALTER TABLE "inventory"."stock_level" DROP CONSTRAINT "stock_level_warehouse_id_fkey";
ALTER TABLE "inventory"."goods_receipt" DROP CONSTRAINT "goods_receipt_product_id_fkey";
ALTER TABLE "inventory"."goods_receipt" DROP CONSTRAINT "goods_receipt_warehouse_id_fkey";
ALTER TABLE "inventory"."goods_receipt" DROP CONSTRAINT "goods_receipt_supplier_id_fkey";
ALTER TABLE "inventory"."stock_movement" DROP CONSTRAINT "stock_movement_product_id_fkey";
ALTER TABLE "inventory"."stock_movement" DROP CONSTRAINT "stock_movement_warehouse_id_fkey";
ALTER TABLE "inventory"."stock_movement" DROP CONSTRAINT "stock_movement_reverses_movement_id_fkey";
ALTER TABLE "inventory"."stock_movement" DROP CONSTRAINT "stock_movement_returns_movement_id_fkey";
ALTER TABLE "inventory"."stock_count" DROP CONSTRAINT "stock_count_warehouse_id_fkey";
ALTER TABLE "inventory"."stock_count_line" DROP CONSTRAINT "stock_count_line_stock_count_id_fkey";
ALTER TABLE "inventory"."stock_count_line" DROP CONSTRAINT "stock_count_line_product_id_fkey";
ALTER TABLE "inventory"."stock_count_line" DROP CONSTRAINT "stock_count_line_adjustment_movement_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" DROP CONSTRAINT "ingredient_lot_ingredient_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" DROP CONSTRAINT "ingredient_lot_supplier_id_fkey";
ALTER TABLE "traceability"."ingredient_lot" DROP CONSTRAINT "ingredient_lot_warehouse_id_fkey";
ALTER TABLE "traceability"."recipe" DROP CONSTRAINT "recipe_product_id_fkey";
ALTER TABLE "traceability"."recipe_ingredient" DROP CONSTRAINT "recipe_ingredient_recipe_id_fkey";
ALTER TABLE "traceability"."recipe_ingredient" DROP CONSTRAINT "recipe_ingredient_ingredient_id_fkey";
ALTER TABLE "traceability"."production_run" DROP CONSTRAINT "production_run_recipe_id_fkey";
ALTER TABLE "traceability"."production_run" DROP CONSTRAINT "production_run_warehouse_id_fkey";
ALTER TABLE "traceability"."batch" DROP CONSTRAINT "batch_production_run_id_fkey";
ALTER TABLE "traceability"."batch" DROP CONSTRAINT "batch_product_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" DROP CONSTRAINT "batch_ingredient_batch_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" DROP CONSTRAINT "batch_ingredient_ingredient_lot_id_fkey";
ALTER TABLE "traceability"."batch_ingredient" DROP CONSTRAINT "batch_ingredient_input_batch_id_fkey";
ALTER TABLE "traceability"."pallet" DROP CONSTRAINT "pallet_production_run_id_fkey";
ALTER TABLE "traceability"."pallet" DROP CONSTRAINT "pallet_warehouse_id_fkey";
ALTER TABLE "traceability"."pallet_content" DROP CONSTRAINT "pallet_content_pallet_id_fkey";
ALTER TABLE "traceability"."pallet_content" DROP CONSTRAINT "pallet_content_batch_id_fkey";

-- Primary keys (client_id, id).
ALTER TABLE "catalog"."brand" DROP CONSTRAINT "brand_pkey", ADD CONSTRAINT "brand_pkey" PRIMARY KEY USING INDEX "brand_client_id_id_key";
ALTER TABLE "catalog"."payment_term" DROP CONSTRAINT "payment_term_pkey", ADD CONSTRAINT "payment_term_pkey" PRIMARY KEY USING INDEX "payment_term_client_id_id_key";
ALTER TABLE "catalog"."warehouse" DROP CONSTRAINT "warehouse_pkey", ADD CONSTRAINT "warehouse_pkey" PRIMARY KEY USING INDEX "warehouse_client_id_id_key";
ALTER TABLE "catalog"."product" DROP CONSTRAINT "product_pkey", ADD CONSTRAINT "product_pkey" PRIMARY KEY USING INDEX "product_client_id_id_key";
ALTER TABLE "catalog"."supplier" DROP CONSTRAINT "supplier_pkey", ADD CONSTRAINT "supplier_pkey" PRIMARY KEY USING INDEX "supplier_client_id_id_key";
ALTER TABLE "catalog"."supplier_contact" DROP CONSTRAINT "supplier_contact_pkey", ADD CONSTRAINT "supplier_contact_pkey" PRIMARY KEY USING INDEX "supplier_contact_client_id_id_key";
ALTER TABLE "inventory"."stock_level" DROP CONSTRAINT "stock_level_pkey", ADD CONSTRAINT "stock_level_pkey" PRIMARY KEY USING INDEX "stock_level_client_id_id_key";
ALTER TABLE "inventory"."goods_receipt" DROP CONSTRAINT "goods_receipt_pkey", ADD CONSTRAINT "goods_receipt_pkey" PRIMARY KEY USING INDEX "goods_receipt_client_id_id_key";
ALTER TABLE "inventory"."stock_movement" DROP CONSTRAINT "stock_movement_pkey", ADD CONSTRAINT "stock_movement_pkey" PRIMARY KEY USING INDEX "stock_movement_client_id_id_key";
ALTER TABLE "inventory"."stock_count" DROP CONSTRAINT "stock_count_pkey", ADD CONSTRAINT "stock_count_pkey" PRIMARY KEY USING INDEX "stock_count_client_id_id_key";
ALTER TABLE "inventory"."stock_count_line" DROP CONSTRAINT "stock_count_line_pkey", ADD CONSTRAINT "stock_count_line_pkey" PRIMARY KEY USING INDEX "stock_count_line_client_id_id_key";
ALTER TABLE "traceability"."ingredient" DROP CONSTRAINT "ingredient_pkey", ADD CONSTRAINT "ingredient_pkey" PRIMARY KEY USING INDEX "ingredient_client_id_id_key";
ALTER TABLE "traceability"."ingredient_lot" DROP CONSTRAINT "ingredient_lot_pkey", ADD CONSTRAINT "ingredient_lot_pkey" PRIMARY KEY USING INDEX "ingredient_lot_client_id_id_key";
ALTER TABLE "traceability"."recipe" DROP CONSTRAINT "recipe_pkey", ADD CONSTRAINT "recipe_pkey" PRIMARY KEY USING INDEX "recipe_client_id_id_key";
ALTER TABLE "traceability"."recipe_ingredient" DROP CONSTRAINT "recipe_ingredient_pkey", ADD CONSTRAINT "recipe_ingredient_pkey" PRIMARY KEY USING INDEX "recipe_ingredient_client_id_id_key";
ALTER TABLE "traceability"."production_run" DROP CONSTRAINT "production_run_pkey", ADD CONSTRAINT "production_run_pkey" PRIMARY KEY USING INDEX "production_run_client_id_id_key";
ALTER TABLE "traceability"."batch" DROP CONSTRAINT "batch_pkey", ADD CONSTRAINT "batch_pkey" PRIMARY KEY USING INDEX "batch_client_id_id_key";
ALTER TABLE "traceability"."batch_ingredient" DROP CONSTRAINT "batch_ingredient_pkey", ADD CONSTRAINT "batch_ingredient_pkey" PRIMARY KEY USING INDEX "batch_ingredient_client_id_id_key";
ALTER TABLE "traceability"."pallet" DROP CONSTRAINT "pallet_pkey", ADD CONSTRAINT "pallet_pkey" PRIMARY KEY USING INDEX "pallet_client_id_id_key";
ALTER TABLE "traceability"."pallet_content" DROP CONSTRAINT "pallet_content_pkey", ADD CONSTRAINT "pallet_content_pkey" PRIMARY KEY USING INDEX "pallet_content_client_id_id_key";
ALTER TABLE "audit"."audit_log" DROP CONSTRAINT "audit_log_pkey", ADD CONSTRAINT "audit_log_pkey" PRIMARY KEY USING INDEX "audit_log_client_id_id_key";

-- Business keys unique per client: the old indexes go; the two partial ones take the old names.
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."brand_name_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."payment_term_code_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."warehouse_code_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."warehouse_gln_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."product_sku_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."supplier_code_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."supplier_gln_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "catalog"."supplier_contact_one_primary_key";
ALTER INDEX "catalog"."supplier_contact_client_one_primary_key" RENAME TO "supplier_contact_one_primary_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_level_product_id_warehouse_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_movement_reverses_movement_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_movement_idempotency_key_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_movement_product_id_warehouse_id_level_sequence_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_count_line_adjustment_movement_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "inventory"."stock_count_line_stock_count_id_product_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."ingredient_name_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."ingredient_lot_tlc_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."ingredient_lot_supplier_id_supplier_lot_code_ingredient_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."recipe_product_id_version_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."recipe_one_active_version_key";
ALTER INDEX "traceability"."recipe_client_one_active_version_key" RENAME TO "recipe_one_active_version_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."recipe_ingredient_recipe_id_ingredient_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."batch_batch_number_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."batch_tlc_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."batch_ingredient_batch_id_ingredient_lot_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."batch_ingredient_batch_id_input_batch_id_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."pallet_pallet_number_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."pallet_sscc_key";
-- squawk-ignore require-concurrent-index-deletion -- safe here: the key swap is one atomic step under the ACCESS EXCLUSIVE locks already held on every tenant table (header: Locks, 170 / 392 ms at 1,000,000 rows)
DROP INDEX "traceability"."pallet_content_pallet_id_batch_id_key";

-- Foreign keys between tenant tables, with client_id: a row refers only to a row of its own
-- client. ON DELETE as before; ON UPDATE RESTRICT (keys do not change, and Citus refuses CASCADE).
ALTER TABLE "catalog"."product" ADD CONSTRAINT "product_brand_id_fkey" FOREIGN KEY ("client_id", "brand_id") REFERENCES "catalog"."brand"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_payment_term_id_fkey" FOREIGN KEY ("client_id", "payment_term_id") REFERENCES "catalog"."payment_term"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "catalog"."supplier_contact" ADD CONSTRAINT "supplier_contact_supplier_id_fkey" FOREIGN KEY ("client_id", "supplier_id") REFERENCES "catalog"."supplier"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_level" ADD CONSTRAINT "stock_level_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_level" ADD CONSTRAINT "stock_level_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."goods_receipt" ADD CONSTRAINT "goods_receipt_supplier_id_fkey" FOREIGN KEY ("client_id", "supplier_id") REFERENCES "catalog"."supplier"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_movement" ADD CONSTRAINT "stock_movement_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_movement" ADD CONSTRAINT "stock_movement_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_movement" ADD CONSTRAINT "stock_movement_reverses_movement_id_fkey" FOREIGN KEY ("client_id", "reverses_movement_id") REFERENCES "inventory"."stock_movement"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_movement" ADD CONSTRAINT "stock_movement_returns_movement_id_fkey" FOREIGN KEY ("client_id", "returns_movement_id") REFERENCES "inventory"."stock_movement"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count" ADD CONSTRAINT "stock_count_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_stock_count_id_fkey" FOREIGN KEY ("client_id", "stock_count_id") REFERENCES "inventory"."stock_count"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_adjustment_movement_id_fkey" FOREIGN KEY ("client_id", "adjustment_movement_id") REFERENCES "inventory"."stock_movement"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."ingredient_lot" ADD CONSTRAINT "ingredient_lot_ingredient_id_fkey" FOREIGN KEY ("client_id", "ingredient_id") REFERENCES "traceability"."ingredient"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."ingredient_lot" ADD CONSTRAINT "ingredient_lot_supplier_id_fkey" FOREIGN KEY ("client_id", "supplier_id") REFERENCES "catalog"."supplier"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."ingredient_lot" ADD CONSTRAINT "ingredient_lot_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."recipe" ADD CONSTRAINT "recipe_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."recipe_ingredient" ADD CONSTRAINT "recipe_ingredient_recipe_id_fkey" FOREIGN KEY ("client_id", "recipe_id") REFERENCES "traceability"."recipe"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."recipe_ingredient" ADD CONSTRAINT "recipe_ingredient_ingredient_id_fkey" FOREIGN KEY ("client_id", "ingredient_id") REFERENCES "traceability"."ingredient"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."production_run" ADD CONSTRAINT "production_run_recipe_id_fkey" FOREIGN KEY ("client_id", "recipe_id") REFERENCES "traceability"."recipe"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."production_run" ADD CONSTRAINT "production_run_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch" ADD CONSTRAINT "batch_production_run_id_fkey" FOREIGN KEY ("client_id", "production_run_id") REFERENCES "traceability"."production_run"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch" ADD CONSTRAINT "batch_product_id_fkey" FOREIGN KEY ("client_id", "product_id") REFERENCES "catalog"."product"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch_ingredient" ADD CONSTRAINT "batch_ingredient_batch_id_fkey" FOREIGN KEY ("client_id", "batch_id") REFERENCES "traceability"."batch"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch_ingredient" ADD CONSTRAINT "batch_ingredient_ingredient_lot_id_fkey" FOREIGN KEY ("client_id", "ingredient_lot_id") REFERENCES "traceability"."ingredient_lot"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."batch_ingredient" ADD CONSTRAINT "batch_ingredient_input_batch_id_fkey" FOREIGN KEY ("client_id", "input_batch_id") REFERENCES "traceability"."batch"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet" ADD CONSTRAINT "pallet_production_run_id_fkey" FOREIGN KEY ("client_id", "production_run_id") REFERENCES "traceability"."production_run"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet" ADD CONSTRAINT "pallet_warehouse_id_fkey" FOREIGN KEY ("client_id", "warehouse_id") REFERENCES "catalog"."warehouse"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet_content" ADD CONSTRAINT "pallet_content_pallet_id_fkey" FOREIGN KEY ("client_id", "pallet_id") REFERENCES "traceability"."pallet"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
ALTER TABLE "traceability"."pallet_content" ADD CONSTRAINT "pallet_content_batch_id_fkey" FOREIGN KEY ("client_id", "batch_id") REFERENCES "traceability"."batch"("client_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] what depended on the old keys: every lookup by the row's client
-- Prisma has no functions or triggers. The business keys are unique per client from here on, so a
-- lookup by one (an idempotency key, a transfer, a level's product and warehouse) or an
-- ON CONFLICT on one names the client: the row's own (NEW.client_id) in the triggers, which then
-- read and write nothing of another client (each a single-shard query on Citus). The rows they
-- insert carry their client_id explicitly: the column's default is 1 until set_client_id_defaults,
-- then the setting.
CREATE OR REPLACE FUNCTION inventory.tg_stock_movement__apply_to_level()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  inbound constant boolean := NEW.quantity > 0;
  source inventory.stock_movement;
  level record;
  cost numeric;
  new_qty numeric;
  new_cost numeric;
  new_value numeric;
BEGIN
  -- The cost this movement brings in, or takes out at when it is not the current average.
  IF NEW.reverses_movement_id IS NOT NULL THEN
    SELECT * INTO source FROM inventory.stock_movement WHERE client_id = NEW.client_id AND id = NEW.reverses_movement_id;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR source.warehouse_id <> NEW.warehouse_id
       OR source.movement_type <> NEW.movement_type OR NEW.quantity <> -source.quantity THEN
      RAISE EXCEPTION 'stock movement % can only be reversed by a movement of the same product, warehouse and type with the opposite quantity', NEW.reverses_movement_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_reversal_check';
    END IF;
    cost := source.unit_cost;
  ELSIF NEW.movement_type = 'TRANSFER_IN' THEN
    SELECT * INTO source FROM inventory.stock_movement
     WHERE client_id = NEW.client_id AND transfer_id = NEW.transfer_id AND movement_type = 'TRANSFER_OUT' AND reverses_movement_id IS NULL;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR NEW.quantity <> -source.quantity THEN
      RAISE EXCEPTION 'transfer %: its TRANSFER_IN must follow its TRANSFER_OUT, for the same product and the opposite quantity', NEW.transfer_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_transfer_balanced';
    END IF;
    cost := source.unit_cost;
  ELSIF NEW.returns_movement_id IS NOT NULL THEN
    SELECT * INTO source FROM inventory.stock_movement WHERE client_id = NEW.client_id AND id = NEW.returns_movement_id;
    IF NOT FOUND OR source.product_id <> NEW.product_id OR sign(source.quantity) = sign(NEW.quantity) THEN
      RAISE EXCEPTION 'a return must refer to a movement of the same product in the other direction (movement %)', NEW.returns_movement_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_return_check';
    END IF;
    cost := source.unit_cost;
  ELSIF inbound THEN
    cost := NEW.unit_cost;
  END IF;

  -- One row lock per product and warehouse: concurrent movements of the same level queue here.
  SELECT id, qty_on_hand, cost_price, movement_count INTO level
    FROM inventory.stock_level
   WHERE client_id = NEW.client_id AND product_id = NEW.product_id AND warehouse_id = NEW.warehouse_id
     FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO inventory.stock_level (client_id, product_id, warehouse_id) VALUES (NEW.client_id, NEW.product_id, NEW.warehouse_id)
    ON CONFLICT (client_id, product_id, warehouse_id) DO NOTHING;
    SELECT id, qty_on_hand, cost_price, movement_count INTO level
      FROM inventory.stock_level
     WHERE client_id = NEW.client_id AND product_id = NEW.product_id AND warehouse_id = NEW.warehouse_id
       FOR UPDATE;
  END IF;

  -- Checked under the lock, so that the same key posted twice at once posts once.
  IF NEW.idempotency_key IS NOT NULL
     AND EXISTS (SELECT 1 FROM inventory.stock_movement WHERE client_id = NEW.client_id AND idempotency_key = NEW.idempotency_key) THEN
    RETURN NULL;
  END IF;

  new_qty := level.qty_on_hand + NEW.quantity;
  IF new_qty < 0 THEN
    RAISE EXCEPTION 'not enough stock: product % in warehouse % has %, the movement takes %',
      NEW.product_id, NEW.warehouse_id, level.qty_on_hand, -NEW.quantity
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_level_on_hand_not_negative_check';
  END IF;

  -- Averages are the exact quotient rounded half up to 6 decimals, by div() on integers: numeric
  -- division rounds at an intermediate scale first (an independent model could not reproduce it),
  -- and multiplying by 0.000001 is exact where dividing by 1000000 is not.
  IF inbound THEN
    -- Moving average (rule 1 of the costing rules, docs/design/inventory-ledger.md): a receipt into
    -- no or negative stock, or into stock of unknown cost, sets the cost. An inbound of unknown
    -- cost keeps it.
    new_cost := CASE
      WHEN cost IS NULL THEN CASE WHEN level.qty_on_hand > 0 THEN level.cost_price END
      WHEN level.qty_on_hand <= 0 OR level.cost_price IS NULL THEN cost
      ELSE div(2000000 * (level.qty_on_hand * level.cost_price + NEW.quantity * cost) + new_qty, 2 * new_qty) * 0.000001
    END;
  ELSIF cost IS NOT NULL AND new_qty > 0 AND level.cost_price IS NOT NULL THEN
    -- Out at its original cost (rule 3): what stays is worth the rest, never less than nothing.
    new_cost := div(2000000 * greatest(level.qty_on_hand * level.cost_price + NEW.quantity * cost, 0) + new_qty, 2 * new_qty) * 0.000001;
  ELSE
    -- Out at the current average (rule 2): the average does not change.
    new_cost := level.cost_price;
    cost := coalesce(cost, level.cost_price);
  END IF;
  new_cost := new_cost::numeric(19, 6);
  new_value := round(new_qty * new_cost, 4);

  NEW.unit_cost := cost;
  NEW.qty_after := new_qty;
  NEW.avg_cost_after := new_cost;
  NEW.value_after := new_value;
  -- An empty level is worth nothing, whatever its cost: a first receipt adds its full value.
  NEW.value_delta := new_value - CASE WHEN level.qty_on_hand = 0 THEN 0 ELSE round(level.qty_on_hand * level.cost_price, 4) END;
  NEW.level_sequence := level.movement_count + 1;

  UPDATE inventory.stock_level
     SET qty_on_hand = new_qty,
         cost_price = new_cost,
         cost_method = CASE WHEN new_cost IS DISTINCT FROM level.cost_price THEN 'WEIGHTED_AVERAGE' ELSE cost_method END,
         last_cost_update_at = CASE WHEN new_cost IS DISTINCT FROM level.cost_price THEN now() ELSE last_cost_update_at END,
         movement_count = level.movement_count + 1,
         last_movement_at = greatest(last_movement_at, NEW.occurred_at),
         updated_at = now()
   WHERE client_id = NEW.client_id AND id = level.id;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_movement__apply_to_level() IS
  'BEFORE INSERT on inventory.stock_movement: values the movement with the moving-average rules, locks and updates its stock_level row, records the level state after it on the movement, and skips a movement whose idempotency key its client already posted. Reads and writes only the rows of the movement''s client.';

CREATE OR REPLACE FUNCTION inventory.tg_stock_movement__check_transfer()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  pair record;
BEGIN
  SELECT count(*) FILTER (WHERE movement_type = 'TRANSFER_OUT' AND reverses_movement_id IS NULL) AS outs,
         count(*) FILTER (WHERE movement_type = 'TRANSFER_IN' AND reverses_movement_id IS NULL) AS ins,
         count(*) FILTER (WHERE reverses_movement_id IS NOT NULL) AS reversals,
         coalesce(sum(quantity), 0) AS net,
         count(DISTINCT product_id) AS products,
         count(DISTINCT warehouse_id) AS warehouses
    INTO pair
    FROM inventory.stock_movement
   WHERE client_id = NEW.client_id AND transfer_id = NEW.transfer_id;
  IF pair.outs <> 1 OR pair.ins <> 1 OR pair.reversals NOT IN (0, 2) OR pair.net <> 0 OR pair.products <> 1 OR pair.warehouses <> 2 THEN
    RAISE EXCEPTION 'transfer % does not balance at commit: it needs one TRANSFER_OUT and one TRANSFER_IN of the same product between two warehouses (found % out, % in, % reversals, net quantity %)',
      NEW.transfer_id, pair.outs, pair.ins, pair.reversals, pair.net
      USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_transfer_balanced';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_movement__check_transfer() IS
  'Deferred constraint trigger on inventory.stock_movement: at commit, each transfer of a client is one TRANSFER_OUT and one TRANSFER_IN of one product between two warehouses, netting to zero (reversed, if at all, as a whole).';

CREATE OR REPLACE FUNCTION inventory.tg_stock_count_line__freeze_when_posted()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  count_status inventory.stock_count_status;
BEGIN
  SELECT status INTO count_status FROM inventory.stock_count
   WHERE client_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END
     AND id = CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END;
  IF count_status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is %: its lines can no longer change', CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END, count_status
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_count_line__freeze_when_posted() IS
  'BEFORE INSERT, UPDATE or DELETE on inventory.stock_count_line: only the lines of an OPEN count (of the line''s client) may change.';

CREATE OR REPLACE FUNCTION traceability.tg_batch_ingredient__check_input()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  output_batch record;
BEGIN
  -- A batch takes its inputs no later than it is completed: a genealogy follows time, so it has no cycles.
  SELECT batch_number, produced_at INTO output_batch FROM traceability.batch WHERE client_id = NEW.client_id AND id = NEW.batch_id;
  IF NEW.consumed_at > output_batch.produced_at THEN
    RAISE EXCEPTION 'batch % was completed at %, it cannot take an input at %', output_batch.batch_number, output_batch.produced_at, NEW.consumed_at
      USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
  END IF;
  NEW.unit_of_measure := coalesce(
    (SELECT unit_of_measure FROM traceability.ingredient_lot WHERE client_id = NEW.client_id AND id = NEW.ingredient_lot_id),
    (SELECT unit_of_measure FROM traceability.batch WHERE client_id = NEW.client_id AND id = NEW.input_batch_id));
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION traceability.tg_batch_ingredient__check_input() IS
  'BEFORE INSERT or UPDATE on traceability.batch_ingredient: copies the unit of the ingredient lot or input batch (of the row''s client), and refuses an input taken after the consuming batch was completed.';

CREATE OR REPLACE FUNCTION traceability.tg_batch_ingredient__consume()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  lot traceability.ingredient_lot;
  input traceability.batch;
BEGIN
  -- Give back what the old row consumed (UPDATE, DELETE).
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.ingredient_lot_id IS NOT NULL THEN
      UPDATE traceability.ingredient_lot
         SET consumed_quantity = consumed_quantity - OLD.quantity_used,
             status = CASE WHEN consumed_quantity - OLD.quantity_used = 0 THEN 'AVAILABLE' ELSE 'IN_USE' END::traceability.lot_status
       WHERE client_id = OLD.client_id AND id = OLD.ingredient_lot_id;
    ELSE
      UPDATE traceability.batch SET consumed_quantity = consumed_quantity - OLD.quantity_used
       WHERE client_id = OLD.client_id AND id = OLD.input_batch_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RETURN NULL;
    END IF;
  END IF;

  IF NEW.ingredient_lot_id IS NOT NULL THEN
    UPDATE traceability.ingredient_lot
       SET consumed_quantity = consumed_quantity + NEW.quantity_used,
           status = CASE WHEN consumed_quantity + NEW.quantity_used >= received_quantity THEN 'DEPLETED' ELSE 'IN_USE' END::traceability.lot_status
     WHERE client_id = NEW.client_id AND id = NEW.ingredient_lot_id AND consumed_quantity + NEW.quantity_used <= received_quantity
    RETURNING * INTO lot;
    IF NOT FOUND THEN
      SELECT * INTO lot FROM traceability.ingredient_lot WHERE client_id = NEW.client_id AND id = NEW.ingredient_lot_id;
      RAISE EXCEPTION 'ingredient lot %: % % received, % used already, % more is too much', lot.tlc, lot.received_quantity, lot.unit_of_measure,
        lot.consumed_quantity, NEW.quantity_used
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ingredient_lot_consumption_check';
    END IF;
    IF lot.quality_status <> 'PASSED' THEN
      RAISE EXCEPTION 'ingredient lot % is %: only PASSED lots may be consumed', lot.tlc, lot.quality_status
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_released_check';
    END IF;
    IF NEW.consumed_at < lot.received_at THEN
      RAISE EXCEPTION 'ingredient lot % was received at %, it cannot be consumed at %', lot.tlc, lot.received_at, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
    IF (NEW.consumed_at AT TIME ZONE 'UTC')::date > lot.expiry_date THEN
      RAISE EXCEPTION 'ingredient lot % expired on %, it cannot be consumed at %', lot.tlc, lot.expiry_date, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
  ELSE
    UPDATE traceability.batch SET consumed_quantity = consumed_quantity + NEW.quantity_used
     WHERE client_id = NEW.client_id AND id = NEW.input_batch_id
       AND consumed_quantity + palletised_quantity + NEW.quantity_used <= coalesce(actual_quantity, 0)
    RETURNING * INTO input;
    IF NOT FOUND THEN
      SELECT * INTO input FROM traceability.batch WHERE client_id = NEW.client_id AND id = NEW.input_batch_id;
      PERFORM traceability.assert_reworkable(input);
      RAISE EXCEPTION 'batch %: % % produced, % reworked and % palletised already, % more is too much', input.batch_number,
        coalesce(input.actual_quantity, 0), input.unit_of_measure, input.consumed_quantity, input.palletised_quantity, NEW.quantity_used
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_conservation_check';
    END IF;
    PERFORM traceability.assert_reworkable(input);
    IF NEW.consumed_at < input.produced_at THEN
      RAISE EXCEPTION 'batch % was produced at %, it cannot be consumed at %', input.batch_number, input.produced_at, NEW.consumed_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_ingredient_input_time_check';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION traceability.tg_batch_ingredient__consume() IS
  'AFTER INSERT, UPDATE or DELETE on traceability.batch_ingredient: counts the quantity on the ingredient lot or input batch (of the row''s client) under its row lock, and refuses consuming more than there is, before it was received or produced, after expiry, or an input that is not released.';

CREATE OR REPLACE FUNCTION traceability.tg_pallet_content__palletise()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  b traceability.batch;
  pallet_status traceability.pallet_status;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE traceability.batch SET palletised_quantity = palletised_quantity - OLD.quantity WHERE client_id = OLD.client_id AND id = OLD.batch_id;
    IF TG_OP = 'DELETE' THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT status INTO pallet_status FROM traceability.pallet WHERE client_id = NEW.client_id AND id = NEW.pallet_id;
  IF pallet_status NOT IN ('BUILDING', 'STORED') THEN
    RAISE EXCEPTION 'pallet % is %: its contents can no longer change', NEW.pallet_id, pallet_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'pallet_content_pallet_open_check';
  END IF;
  UPDATE traceability.batch SET palletised_quantity = palletised_quantity + NEW.quantity
   WHERE client_id = NEW.client_id AND id = NEW.batch_id AND consumed_quantity + palletised_quantity + NEW.quantity <= coalesce(actual_quantity, 0)
  RETURNING * INTO b;
  IF NOT FOUND THEN
    SELECT * INTO b FROM traceability.batch WHERE client_id = NEW.client_id AND id = NEW.batch_id;
    PERFORM traceability.assert_palletisable(b);
    RAISE EXCEPTION 'batch %: % % produced, % reworked and % palletised already, % more is too much', b.batch_number,
      coalesce(b.actual_quantity, 0), b.unit_of_measure, b.consumed_quantity, b.palletised_quantity, NEW.quantity
      USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_conservation_check';
  END IF;
  PERFORM traceability.assert_palletisable(b);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION traceability.tg_pallet_content__palletise() IS
  'AFTER INSERT, UPDATE or DELETE on traceability.pallet_content: counts the quantity on the batch (of the row''s client) under its row lock; refuses more than the batch has left, an unfinished batch, or a pallet already shipped or disposed of.';

CREATE OR REPLACE FUNCTION audit.tg__record_change()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
BEGIN
  -- The change belongs to the client of the row (a tenant table's client_id; audited tables are tenant tables).
  INSERT INTO audit.audit_log (client_id, table_schema, table_name, row_id, action, old_row, new_row, actor)
  VALUES ((coalesce(new_row, old_row) ->> 'client_id')::bigint, TG_TABLE_SCHEMA, TG_TABLE_NAME, (coalesce(new_row, old_row) ->> 'id')::bigint,
          TG_OP, old_row, new_row, coalesce(nullif(current_setting('supply_ledger.actor', true), ''), current_user));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.tg__record_change() IS
  'AFTER INSERT, UPDATE or DELETE trigger for any tenant table: writes the old and new row as JSON to audit.audit_log, as a row of the changed row''s client, with the actor (setting supply_ledger.actor, else the database user) and the time.';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] backfill batch functions: one client at a time
-- The batch functions go through a table by id, which now leads no index: the keys lead with
-- client_id. They therefore go through one client's rows, by (client_id, id), the client the
-- setting app.client_id names (refused without one): the backfill runner runs them as
-- supply_ledger_owner, client by client. Each batch is then one index range and, on Citus, one
-- shard. Their ON CONFLICT targets are the new keys.
CREATE OR REPLACE FUNCTION catalog.backfill_product_brands(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  upper_id bigint;
  linked bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'catalog.backfill_product_brands: no client is set (app.client_id): backfills run client by client'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.product WHERE client_id = client AND id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  INSERT INTO catalog.brand (client_id, name)
  SELECT DISTINCT ON (lower(btrim(p.brand))) client, btrim(p.brand)
    FROM catalog.product p
   WHERE p.client_id = client AND p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
   ORDER BY lower(btrim(p.brand)), p.id
  ON CONFLICT (client_id, name) DO NOTHING;

  UPDATE catalog.product p
     SET brand_id = b.id
    FROM catalog.brand b
   WHERE p.client_id = client AND p.id > after_id AND p.id <= upper_id AND p.brand_id IS NULL AND btrim(p.brand) <> ''
     AND b.client_id = client AND b.name = btrim(p.brand)::citext;
  GET DIAGNOSTICS linked = ROW_COUNT;

  RETURN QUERY SELECT upper_id, linked;
END
$$;
COMMENT ON FUNCTION catalog.backfill_product_brands(bigint, integer) IS
  'Brand backfill, one batch of the client app.client_id names (refused without one): creates the brands of the legacy names of its products with id in (after_id, after_id + batch_size products] and links those products. Returns the last id covered (NULL when none is left) and how many products it linked.';

CREATE OR REPLACE FUNCTION catalog.backfill_supplier_contacts(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
-- Planned for each batch: a plan cached when supplier_contact was empty scans all of it for every
-- batch once it has grown, which made a finalize that does the whole backfill in one transaction
-- quadratic (1,000,000 suppliers on PostgreSQL 18: 80-99 s, against 41-43 s planned per batch).
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  upper_id bigint;
  details bigint;
  contacts bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'catalog.backfill_supplier_contacts: no client is set (app.client_id): backfills run client by client'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.supplier WHERE client_id = client AND id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  UPDATE catalog.supplier
     SET contact_phone = coalesce(contact_phone, nullif(btrim(phone), '')),
         contact_email = coalesce(contact_email, nullif(lower(btrim(email)), ''))
   WHERE client_id = client AND id > after_id AND id <= upper_id
     AND (contact_phone IS NULL AND btrim(phone) <> '' OR contact_email IS NULL AND btrim(email) <> '');
  GET DIAGNOSTICS details = ROW_COUNT;

  INSERT INTO catalog.supplier_contact (client_id, supplier_id, name, role, email, phone, is_primary)
  SELECT client, s.id, s.name, 'main contact (from the supplier record)', s.contact_email, s.contact_phone, true
    FROM catalog.supplier s
   WHERE s.client_id = client AND s.id > after_id AND s.id <= upper_id
     AND num_nonnulls(s.contact_email, s.contact_phone) > 0
     AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.client_id = client AND c.supplier_id = s.id AND c.is_primary)
   ORDER BY s.id
  -- The application may add a primary contact meanwhile: the batch keeps it instead of failing.
  ON CONFLICT (client_id, supplier_id) WHERE is_primary DO NOTHING;
  GET DIAGNOSTICS contacts = ROW_COUNT;

  RETURN QUERY SELECT upper_id, details + contacts;
END
$$;
COMMENT ON FUNCTION catalog.backfill_supplier_contacts(bigint, integer) IS
  'Supplier contact backfill, one batch of the client app.client_id names (refused without one): for its suppliers with id in (after_id, next batch_size suppliers], fills contact_phone and contact_email from the legacy fields and adds a primary contact where missing. Returns the last id covered (NULL when none is left) and how many rows it wrote.';

CREATE OR REPLACE FUNCTION inventory.backfill_opening_balances(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  upper_id bigint;
  level record;
  opening_cost numeric;
  done bigint := 0;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'inventory.backfill_opening_balances: no client is set (app.client_id): backfills run client by client'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM inventory.stock_level WHERE client_id = client AND id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;
  PERFORM set_config('supply_ledger.ledger_backfill', 'on', true);

  FOR level IN
    SELECT * FROM inventory.stock_level
     WHERE client_id = client AND id > after_id AND id <= upper_id AND movement_count = 0 AND cost_method IS NULL
     ORDER BY id
       FOR UPDATE
  LOOP
    SELECT g.unit_cost INTO opening_cost
      FROM inventory.goods_receipt g
     WHERE g.client_id = client AND g.product_id = level.product_id
     ORDER BY (g.warehouse_id = level.warehouse_id) DESC, g.received_at DESC, g.id DESC
     LIMIT 1;
    IF level.qty_on_hand > 0 THEN
      -- The ledger posts the quantity back at the opening cost, setting the level as it does every level.
      UPDATE inventory.stock_level SET qty_on_hand = 0 WHERE client_id = client AND id = level.id;
      INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason)
      VALUES (client, 'ADJUSTMENT_IN', level.product_id, level.warehouse_id, level.qty_on_hand, opening_cost, 'MIGRATION', 'opening-balance',
              CASE WHEN opening_cost IS NULL THEN 'opening balance, cost unknown (no goods receipt)' ELSE 'opening balance at the latest receipt cost' END);
    END IF;
    IF opening_cost IS NOT NULL THEN
      UPDATE inventory.stock_level
         SET cost_price = opening_cost, cost_method = 'LAST_RECEIPT', last_cost_update_at = now()
       WHERE client_id = client AND id = level.id;
    END IF;
    IF level.qty_on_hand > 0 OR opening_cost IS NOT NULL THEN
      done := done + 1;
    END IF;
  END LOOP;

  PERFORM set_config('supply_ledger.ledger_backfill', 'off', true);
  RETURN QUERY SELECT upper_id, done;
END
$$;
COMMENT ON FUNCTION inventory.backfill_opening_balances(bigint, integer) IS
  'Opening balances, one batch of the client app.client_id names (refused without one): for its stock levels with id in (after_id, next batch_size levels] not yet in the ledger, posts the on-hand quantity as an ADJUSTMENT_IN (reference MIGRATION) at the cost of the latest goods receipt of the product (in that warehouse first) and marks the cost LAST_RECEIPT. Returns the last id covered (NULL when none is left) and how many levels it changed.';

CREATE OR REPLACE FUNCTION inventory.post_stock_count(count_id bigint)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  stock_count inventory.stock_count;
  line record;
  on_hand numeric;
  average numeric;
  difference numeric;
  movement_id bigint;
  posted integer := 0;
BEGIN
  SELECT * INTO stock_count FROM inventory.stock_count WHERE id = count_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stock count % does not exist', count_id USING ERRCODE = 'no_data_found';
  END IF;
  IF stock_count.status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is % and cannot be posted', count_id, stock_count.status USING ERRCODE = 'restrict_violation';
  END IF;

  -- Lines in product order, the order every writer locks levels in (no deadlocks between postings).
  FOR line IN
    SELECT * FROM inventory.stock_count_line WHERE client_id = stock_count.client_id AND stock_count_id = count_id ORDER BY product_id
  LOOP
    SELECT qty_on_hand, cost_price INTO on_hand, average
      FROM inventory.stock_level
     WHERE client_id = stock_count.client_id AND product_id = line.product_id AND warehouse_id = stock_count.warehouse_id
       FOR UPDATE;
    on_hand := coalesce(on_hand, 0);
    difference := line.counted_qty - on_hand;
    movement_id := NULL;
    IF difference > 0 AND coalesce(average, line.unit_cost) IS NULL THEN
      RAISE EXCEPTION 'stock count %: product % was counted % more than on hand, and neither its stock level nor the count line has a cost', count_id, line.product_id, difference
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_inbound_cost_check';
    END IF;
    IF difference <> 0 THEN
      INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason, occurred_at)
      VALUES (stock_count.client_id, CASE WHEN difference > 0 THEN 'ADJUSTMENT_IN' ELSE 'ADJUSTMENT_OUT' END::inventory.movement_type,
              line.product_id, stock_count.warehouse_id, difference,
              CASE WHEN difference > 0 THEN coalesce(average, line.unit_cost) END,
              'STOCK_COUNT', count_id::text, 'stock count difference', stock_count.counted_at)
      RETURNING id INTO movement_id;
      posted := posted + 1;
    END IF;
    UPDATE inventory.stock_count_line SET system_qty = on_hand, adjustment_movement_id = movement_id
     WHERE client_id = stock_count.client_id AND id = line.id;
  END LOOP;

  UPDATE inventory.stock_count c SET status = 'POSTED', posted_at = now() WHERE c.client_id = stock_count.client_id AND c.id = count_id;
  RETURN posted;
END
$$;
COMMENT ON FUNCTION inventory.post_stock_count(bigint) IS
  'Posts an OPEN stock count: one ADJUSTMENT_IN/ADJUSTMENT_OUT movement per line whose counted quantity differs from on hand (gains at the level cost, else the line cost), records on-hand and the movement on each line, marks the count POSTED. Works on the rows of the count''s client only. Returns how many movements it posted.';
-- [CUSTOM_CHANGE_END]
