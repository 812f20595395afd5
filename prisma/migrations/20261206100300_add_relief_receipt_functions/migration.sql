/*
 * add_relief_receipt_functions (issue 12, docs/design/replenishment.md): procurement and donation
 * receipts through the inventory ledger, as transfers already are (receiveTransfer). Until now the
 * caller kept procurement_item.received_qty and donation_item.received_qty itself and posted the
 * stock, or did not.
 *
 * replenishment.receive_procurement and replenishment.receive_donation receive one line: the
 * line's received quantity grows by one conditional UPDATE (received + q <= ordered, or <= the
 * confirmed quantity: the row lock serialises two receipts at once and the second re-checks the
 * latest count), a RECEIPT movement is posted to the ledger keyed by the receipt
 * (idempotency_key 'relief-procurement:<key>:<product>' or 'relief-donation:<key>:<product>': the
 * same receipt twice posts once; an advisory lock on that key makes the second of two identical
 * receipts at once wait and then find the first), and the document's status follows
 * (PARTIAL_RECEIVED, then RECEIVED when every line is; a donation RECEIVED when every line is).
 * v_inbound_stock already counts each open line at its remaining quantity and drops received
 * documents. A procurement is received only while ORDERED, SHIPPED or PARTIAL_RECEIVED, a donation
 * only while CONFIRMED; a pool donation (no intake warehouse) names the warehouse that receives it.
 * Refusals raise check_violation naming the rule (procurement_receipt_open,
 * procurement_receipt_within_ordered, donation_receipt_open, donation_receipt_within_confirmed,
 * relief_receipt_needs_warehouse) or no_data_found for a document or line that does not exist
 * (procurement_receipt_document, procurement_receipt_line, donation_receipt_document,
 * donation_receipt_line); the functions
 * run as their caller (row-level security applies) in the caller's transaction.
 *
 * The movement's unit cost: the procurement line's unit_cost unless the receipt gives one (a line
 * without either is refused: the ledger values every receipt, relief_receipt_needs_cost);
 * donations come in at cost 0 (no purchase cost; a valuation at fair value is the finance
 * domain's, not made here).
 *
 * Locks: none on existing tables (two functions created). Runtime: instant. Rollback: down.sql.
 * Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] receipts through the ledger
-- Prisma has no functions.
CREATE FUNCTION replenishment.receive_procurement(of_procurement_id bigint, of_product_id bigint, qty numeric, receipt_key text,
                                                  received_at timestamptz, actor text, of_unit_cost numeric)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  key text := format('relief-procurement:%s:%s', receipt_key, of_product_id);
  po replenishment.procurement;
  cost numeric;
BEGIN
  -- The same receipt twice, at once or later: the second waits for the first, then finds its movement.
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.receipt'), hashtext(concat_ws(':', client, key)));
  IF EXISTS (SELECT 1 FROM inventory.stock_movement WHERE client_id = client AND idempotency_key = key) THEN
    RETURN false;
  END IF;
  SELECT * INTO po FROM replenishment.procurement WHERE client_id = client AND id = of_procurement_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'receive_procurement: no procurement % (for the client of the setting)', of_procurement_id
      USING ERRCODE = 'no_data_found', CONSTRAINT = 'procurement_receipt_document';
  END IF;
  IF po.status_code NOT IN ('ORDERED', 'SHIPPED', 'PARTIAL_RECEIVED') THEN
    RAISE EXCEPTION 'procurement %: it is %, not on order: nothing can be received', po.procurement_no, po.status_code
      USING ERRCODE = 'check_violation', CONSTRAINT = 'procurement_receipt_open';
  END IF;
  UPDATE replenishment.procurement_item SET received_qty = received_qty + qty
   WHERE client_id = client AND procurement_id = po.id AND product_id = of_product_id AND received_qty + qty <= ordered_qty
  RETURNING coalesce(of_unit_cost, unit_cost) INTO cost;
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT 1 FROM replenishment.procurement_item WHERE client_id = client AND procurement_id = po.id AND product_id = of_product_id) THEN
      RAISE EXCEPTION 'procurement %: no line of product %', po.procurement_no, of_product_id
        USING ERRCODE = 'no_data_found', CONSTRAINT = 'procurement_receipt_line';
    END IF;
    RAISE EXCEPTION 'procurement %, product %: a receipt of % would take the line above what was ordered', po.procurement_no, of_product_id, qty
      USING ERRCODE = 'check_violation', CONSTRAINT = 'procurement_receipt_within_ordered';
  END IF;
  IF cost IS NULL THEN
    RAISE EXCEPTION 'procurement %, product %: the line has no unit cost and the receipt gives none', po.procurement_no, of_product_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'relief_receipt_needs_cost';
  END IF;
  INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id,
                                        idempotency_key, occurred_at, actor)
  VALUES (client, 'RECEIPT', of_product_id, po.warehouse_id, qty, cost, 'PURCHASE_ORDER', po.procurement_no, key, received_at,
          coalesce(actor, nullif(current_setting('supply_ledger.actor', true), ''), current_user));
  UPDATE replenishment.procurement
     SET status_code = CASE WHEN EXISTS (SELECT 1 FROM replenishment.procurement_item i
                                          WHERE i.client_id = client AND i.procurement_id = po.id AND i.received_qty < i.ordered_qty)
                            THEN 'PARTIAL_RECEIVED' ELSE 'RECEIVED' END
   WHERE client_id = client AND id = po.id;
  RETURN true;
END
$$;
COMMENT ON FUNCTION replenishment.receive_procurement(bigint, bigint, numeric, text, timestamptz, text, numeric) IS
  'Receives qty of a procurement line (the client of the setting), once per receipt_key and product: the line''s received_qty grows (never above ordered_qty), a RECEIPT movement is posted to the procurement''s warehouse at the line''s unit cost (or the one given), and the procurement becomes PARTIAL_RECEIVED or RECEIVED. Only an ORDERED, SHIPPED or PARTIAL_RECEIVED procurement. Returns false when this receipt was already posted (nothing done).';

CREATE FUNCTION replenishment.receive_donation(of_donation_id bigint, of_product_id bigint, qty numeric, receipt_key text,
                                               received_at timestamptz, actor text, of_warehouse_id bigint)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  key text := format('relief-donation:%s:%s', receipt_key, of_product_id);
  dn replenishment.donation;
  intake bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.receipt'), hashtext(concat_ws(':', client, key)));
  IF EXISTS (SELECT 1 FROM inventory.stock_movement WHERE client_id = client AND idempotency_key = key) THEN
    RETURN false;
  END IF;
  SELECT * INTO dn FROM replenishment.donation WHERE client_id = client AND id = of_donation_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'receive_donation: no donation % (for the client of the setting)', of_donation_id
      USING ERRCODE = 'no_data_found', CONSTRAINT = 'donation_receipt_document';
  END IF;
  IF dn.status <> 'CONFIRMED' THEN
    RAISE EXCEPTION 'donation %: it is %, not confirmed: nothing can be received', dn.donation_no, dn.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'donation_receipt_open';
  END IF;
  intake := coalesce(dn.warehouse_id, of_warehouse_id);
  IF intake IS NULL THEN
    RAISE EXCEPTION 'donation %: it has no intake warehouse and the receipt names none', dn.donation_no
      USING ERRCODE = 'check_violation', CONSTRAINT = 'relief_receipt_needs_warehouse';
  END IF;
  UPDATE replenishment.donation_item SET received_qty = received_qty + qty
   WHERE client_id = client AND donation_id = dn.id AND product_id = of_product_id AND received_qty + qty <= quantity;
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT 1 FROM replenishment.donation_item WHERE client_id = client AND donation_id = dn.id AND product_id = of_product_id) THEN
      RAISE EXCEPTION 'donation %: no line of product %', dn.donation_no, of_product_id
        USING ERRCODE = 'no_data_found', CONSTRAINT = 'donation_receipt_line';
    END IF;
    RAISE EXCEPTION 'donation %, product %: a receipt of % would take the line above what was confirmed', dn.donation_no, of_product_id, qty
      USING ERRCODE = 'check_violation', CONSTRAINT = 'donation_receipt_within_confirmed';
  END IF;
  INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id,
                                        idempotency_key, occurred_at, actor)
  VALUES (client, 'RECEIPT', of_product_id, intake, qty, 0, 'GOODS_RECEIPT', dn.donation_no, key, received_at,
          coalesce(actor, nullif(current_setting('supply_ledger.actor', true), ''), current_user));
  IF NOT EXISTS (SELECT 1 FROM replenishment.donation_item i WHERE i.client_id = client AND i.donation_id = dn.id AND i.received_qty < i.quantity) THEN
    UPDATE replenishment.donation SET status = 'RECEIVED' WHERE client_id = client AND id = dn.id;
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION replenishment.receive_donation(bigint, bigint, numeric, text, timestamptz, text, bigint) IS
  'Receives qty of a confirmed donation line (the client of the setting), once per receipt_key and product: the line''s received_qty grows (never above the confirmed quantity), a RECEIPT movement at cost 0 is posted to the donation''s intake warehouse (or, for a pool donation, the warehouse given), and the donation becomes RECEIVED when every line is. Returns false when this receipt was already posted (nothing done).';
REVOKE EXECUTE ON FUNCTION replenishment.receive_procurement(bigint, bigint, numeric, text, timestamptz, text, numeric),
  replenishment.receive_donation(bigint, bigint, numeric, text, timestamptz, text, bigint) FROM supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
