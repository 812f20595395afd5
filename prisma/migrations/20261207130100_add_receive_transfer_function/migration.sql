/*
 * add_receive_transfer_function (issue 12, docs/design/replenishment.md): transfer receipts in the
 * database, as procurement and donation receipts are (add_relief_receipt_functions).
 *
 * receiveTransfer (src/replenishment/needs-list.ts) decided a receipt had been taken when any
 * movement's idempotency_key was LIKE 'relief-receipt:<key>:%': under the database's C.UTF-8
 * collation that pattern cannot use the (client_id, idempotency_key) key, so every receipt read the
 * client's whole ledger (a sequential scan, confirmed by EXPLAIN); and the check was per receipt,
 * so a receipt key posted again with one more line skipped that line silently, and two identical
 * receipts at once could both pass it and both count their quantity on the line.
 *
 * replenishment.receive_transfer receives one line, like receive_procurement: an advisory lock on
 * the receipt's key for the line, then an exact look-up of its movement ('relief-receipt:<key>:
 * <product>:in', the key receiveTransfer already gave the TRANSFER_IN half, so receipts taken
 * before this migration are recognised), then the line's received quantity grown by one
 * conditional UPDATE (never above what was dispatched; the row lock serialises two receipts at
 * once and the second re-checks), then the ledger transfer from the transit warehouse to the
 * destination (both levels locked in warehouse order, TRANSFER_OUT before TRANSFER_IN, keyed
 * '<...>:out' and '<...>:in' as postTransfer keys them), and the transfer RECEIVED, with who and
 * when, once every line is. The same receipt key with other lines: each line stands alone, those
 * already taken under the key are skipped (false), the others are taken. Refusals raise
 * no_data_found (transfer_receipt_document, transfer_receipt_line) or check_violation
 * (transfer_receipt_in_transit, transfer_receipt_within_dispatched). Runs as its caller
 * (row-level security applies), in the caller's transaction.
 *
 * Locks: none on existing tables (one function created). Runtime: instant. Rollback: down.sql.
 * Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] transfer receipts through the ledger, once per receipt key and line
-- Prisma has no functions.
CREATE FUNCTION replenishment.receive_transfer(of_transfer_id bigint, of_product_id bigint, qty numeric, receipt_key text,
                                               received_at timestamptz, actor text)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  key text := format('relief-receipt:%s:%s', receipt_key, of_product_id);
  who text := coalesce(actor, nullif(current_setting('supply_ledger.actor', true), ''), current_user);
  tr replenishment.transfer;
  moved uuid := gen_random_uuid();
BEGIN
  -- The same receipt twice, at once or later: the second waits for the first, then finds its movement.
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.receipt'), hashtext(concat_ws(':', client, key)));
  IF EXISTS (SELECT 1 FROM inventory.stock_movement WHERE client_id = client AND idempotency_key = key || ':in') THEN
    RETURN false;
  END IF;
  SELECT * INTO tr FROM replenishment.transfer WHERE client_id = client AND id = of_transfer_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'receive_transfer: no transfer % (for the client of the setting)', of_transfer_id
      USING ERRCODE = 'no_data_found', CONSTRAINT = 'transfer_receipt_document';
  END IF;
  IF tr.status <> 'DISPATCHED' OR tr.transit_warehouse_id IS NULL THEN
    RAISE EXCEPTION 'transfer %: it is %, not in transit: nothing can be received', tr.transfer_no, tr.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfer_receipt_in_transit';
  END IF;
  UPDATE replenishment.transfer_item SET received_qty = received_qty + qty
   WHERE client_id = client AND transfer_id = tr.id AND product_id = of_product_id AND received_qty + qty <= quantity;
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT 1 FROM replenishment.transfer_item WHERE client_id = client AND transfer_id = tr.id AND product_id = of_product_id) THEN
      RAISE EXCEPTION 'transfer %: no line of product %', tr.transfer_no, of_product_id
        USING ERRCODE = 'no_data_found', CONSTRAINT = 'transfer_receipt_line';
    END IF;
    RAISE EXCEPTION 'transfer %, product %: a receipt of % would take the line above what was dispatched', tr.transfer_no, of_product_id, qty
      USING ERRCODE = 'check_violation', CONSTRAINT = 'transfer_receipt_within_dispatched';
  END IF;
  -- Both levels locked in warehouse order (the ledger's order for every writer of two levels), then
  -- OUT of transit before IN to the destination, as the ledger requires.
  PERFORM 1 FROM inventory.stock_level
    WHERE client_id = client AND product_id = of_product_id AND warehouse_id IN (tr.transit_warehouse_id, tr.to_warehouse_id)
    ORDER BY warehouse_id FOR UPDATE;
  INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, transfer_id, reference_type, reference_id,
                                        idempotency_key, occurred_at, actor)
  VALUES (client, 'TRANSFER_OUT', of_product_id, tr.transit_warehouse_id, -qty, moved, 'TRANSFER', format('relief-transfer:%s', tr.id), key || ':out',
          received_at, who),
         (client, 'TRANSFER_IN', of_product_id, tr.to_warehouse_id, qty, moved, 'TRANSFER', format('relief-transfer:%s', tr.id), key || ':in',
          received_at, who);
  IF NOT EXISTS (SELECT 1 FROM replenishment.transfer_item i WHERE i.client_id = client AND i.transfer_id = tr.id AND i.received_qty < i.quantity) THEN
    UPDATE replenishment.transfer SET status = 'RECEIVED', received_at = receive_transfer.received_at, received_by = who
     WHERE client_id = client AND id = tr.id;
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text) IS
  'Receives qty of a dispatched transfer''s line (the client of the setting), once per receipt_key and product: the line''s received_qty grows (never above what was dispatched), the stock moves from the transit warehouse to the destination through the ledger (TRANSFER_OUT and TRANSFER_IN keyed relief-receipt:<key>:<product>:out and :in), and the transfer becomes RECEIVED, with who and when, once every line is. Only a DISPATCHED transfer. Returns false when this receipt of the line was already taken (nothing done).';
REVOKE EXECUTE ON FUNCTION replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text) FROM supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
