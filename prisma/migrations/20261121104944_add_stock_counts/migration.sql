/*
 * add_stock_counts: physical stock counts in their own tables (docs/design/inventory-ledger.md and
 * the OpenBoxes lesson): the ledger never holds an absolute count. Posting a count with
 * inventory.post_stock_count(id) adds one ADJUSTMENT_IN or ADJUSTMENT_OUT movement per product
 * whose counted quantity differs from what is on hand, and records what was on hand.
 *
 * Locks: none on existing tables beyond the foreign keys' SHARE ROW EXCLUSIVE on the referenced
 * tables. Expected runtime: instant. Rollback: down.sql (keeps counts in backup tables).
 * Checks: validate.sql.
 */

-- CreateEnum
CREATE TYPE "inventory"."stock_count_status" AS ENUM ('OPEN', 'POSTED', 'CANCELLED');
-- CreateTable
CREATE TABLE "inventory"."stock_count" (
    "id" BIGSERIAL NOT NULL,
    "warehouse_id" BIGINT NOT NULL,
    "status" "inventory"."stock_count_status" NOT NULL DEFAULT 'OPEN',
    "counted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "posted_at" TIMESTAMPTZ(6),
    "note" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_count_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "inventory"."stock_count_line" (
    "id" BIGSERIAL NOT NULL,
    "stock_count_id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,
    "counted_qty" DECIMAL(18,4) NOT NULL,
    "system_qty" DECIMAL(18,4),
    "unit_cost" DECIMAL(19,6),
    "adjustment_movement_id" BIGINT,
    CONSTRAINT "stock_count_line_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "stock_count_warehouse_id_idx" ON "inventory"."stock_count"("warehouse_id");
-- CreateIndex
CREATE UNIQUE INDEX "stock_count_line_adjustment_movement_id_key" ON "inventory"."stock_count_line"("adjustment_movement_id");
-- CreateIndex
CREATE INDEX "stock_count_line_product_id_idx" ON "inventory"."stock_count_line"("product_id");
-- CreateIndex
CREATE UNIQUE INDEX "stock_count_line_stock_count_id_product_id_key" ON "inventory"."stock_count_line"("stock_count_id", "product_id");
-- AddForeignKey
ALTER TABLE "inventory"."stock_count" ADD CONSTRAINT "stock_count_warehouse_id_fkey" FOREIGN KEY ("warehouse_id") REFERENCES "catalog"."warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_stock_count_id_fkey" FOREIGN KEY ("stock_count_id") REFERENCES "inventory"."stock_count"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "catalog"."product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_adjustment_movement_id_fkey" FOREIGN KEY ("adjustment_movement_id") REFERENCES "inventory"."stock_movement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- [CUSTOM_CHANGE_START] count rules and posting
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_counted_qty_not_negative_check" CHECK (counted_qty >= 0);
ALTER TABLE "inventory"."stock_count_line" ADD CONSTRAINT "stock_count_line_unit_cost_not_negative_check" CHECK (unit_cost >= 0);
ALTER TABLE "inventory"."stock_count" ADD CONSTRAINT "stock_count_posted_at_check" CHECK ((status = 'POSTED') = (posted_at IS NOT NULL));

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "inventory"."stock_count"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();

CREATE OR REPLACE FUNCTION inventory.tg_stock_count_line__freeze_when_posted()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  count_status inventory.stock_count_status;
BEGIN
  SELECT status INTO count_status FROM inventory.stock_count
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END;
  IF count_status <> 'OPEN' THEN
    RAISE EXCEPTION 'stock count % is %: its lines can no longer change', CASE WHEN TG_OP = 'DELETE' THEN OLD.stock_count_id ELSE NEW.stock_count_id END, count_status
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_count_line__freeze_when_posted() IS
  'BEFORE INSERT, UPDATE or DELETE on inventory.stock_count_line: only the lines of an OPEN count may change.';
CREATE TRIGGER _100_freeze_when_posted BEFORE INSERT OR UPDATE OR DELETE ON "inventory"."stock_count_line"
  FOR EACH ROW EXECUTE FUNCTION inventory.tg_stock_count_line__freeze_when_posted();

CREATE OR REPLACE FUNCTION inventory.tg_stock_count__freeze_when_posted()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  RAISE EXCEPTION 'stock count % is POSTED: it can no longer change or go (its adjustments are in the ledger)', OLD.id
    USING ERRCODE = 'restrict_violation';
END
$$;
COMMENT ON FUNCTION inventory.tg_stock_count__freeze_when_posted() IS
  'BEFORE UPDATE or DELETE of a POSTED inventory.stock_count: refuses it, so that a count is posted once and stays as the record of its adjustments.';
CREATE TRIGGER _100_freeze_when_posted BEFORE UPDATE OR DELETE ON "inventory"."stock_count"
  FOR EACH ROW WHEN (OLD.status = 'POSTED') EXECUTE FUNCTION inventory.tg_stock_count__freeze_when_posted();

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
  FOR line IN SELECT * FROM inventory.stock_count_line WHERE stock_count_id = count_id ORDER BY product_id LOOP
    SELECT qty_on_hand, cost_price INTO on_hand, average
      FROM inventory.stock_level WHERE product_id = line.product_id AND warehouse_id = stock_count.warehouse_id
       FOR UPDATE;
    on_hand := coalesce(on_hand, 0);
    difference := line.counted_qty - on_hand;
    movement_id := NULL;
    IF difference > 0 AND coalesce(average, line.unit_cost) IS NULL THEN
      RAISE EXCEPTION 'stock count %: product % was counted % more than on hand, and neither its stock level nor the count line has a cost', count_id, line.product_id, difference
        USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_movement_inbound_cost_check';
    END IF;
    IF difference <> 0 THEN
      INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id, reason, occurred_at)
      VALUES (CASE WHEN difference > 0 THEN 'ADJUSTMENT_IN' ELSE 'ADJUSTMENT_OUT' END::inventory.movement_type,
              line.product_id, stock_count.warehouse_id, difference,
              CASE WHEN difference > 0 THEN coalesce(average, line.unit_cost) END,
              'STOCK_COUNT', count_id::text, 'stock count difference', stock_count.counted_at)
      RETURNING id INTO movement_id;
      posted := posted + 1;
    END IF;
    UPDATE inventory.stock_count_line SET system_qty = on_hand, adjustment_movement_id = movement_id WHERE id = line.id;
  END LOOP;

  UPDATE inventory.stock_count SET status = 'POSTED', posted_at = now() WHERE id = count_id;
  RETURN posted;
END
$$;
COMMENT ON FUNCTION inventory.post_stock_count(bigint) IS
  'Posts an OPEN stock count: one ADJUSTMENT_IN/ADJUSTMENT_OUT movement per line whose counted quantity differs from on hand (gains at the level cost, else the line cost), records on-hand and the movement on each line, marks the count POSTED. Returns how many movements it posted.';

COMMENT ON TABLE "inventory"."stock_count" IS 'Physical stock counts of a warehouse. Posting one adds adjustment movements for the differences.';
COMMENT ON TABLE "inventory"."stock_count_line" IS 'Products counted in a stock count: counted quantity, then on-hand and the adjustment movement once posted.';
-- [CUSTOM_CHANGE_END]
