-- Checks of restrict_ledger_backfill_switch: with the backfill switch on, the application role's
-- write of an on-hand quantity is refused by the guard, the owner's is not (validate.sql always runs
-- rolled back; it runs as the owner, a member of the application role).
DO $$
DECLARE
  probe_client bigint;
  probe_level bigint;
  refused boolean := false;
BEGIN
  INSERT INTO core.client (code, name) VALUES ('VALIDATE-LEDGER-SWITCH', 'validate.sql probe') RETURNING id INTO probe_client;
  PERFORM set_config('app.client_id', probe_client::text, true);
  INSERT INTO catalog.product (sku, name) VALUES ('VALIDATE-LEDGER-SWITCH', 'probe');
  INSERT INTO catalog.warehouse (code, name) VALUES ('VALIDATE-LEDGER-SWITCH', 'probe');
  INSERT INTO inventory.stock_level (product_id, warehouse_id)
    SELECT p.id, w.id FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'VALIDATE-LEDGER-SWITCH' AND w.code = 'VALIDATE-LEDGER-SWITCH'
    RETURNING id INTO probe_level;
  PERFORM set_config('supply_ledger.ledger_backfill', 'on', true);

  SET LOCAL ROLE supply_ledger_app;
  BEGIN
    UPDATE inventory.stock_level SET qty_on_hand = 5 WHERE id = probe_level;
  EXCEPTION WHEN restrict_violation THEN
    refused := true;
  END;
  RESET ROLE;
  IF NOT refused THEN
    RAISE EXCEPTION 'restrict_ledger_backfill_switch: supply_ledger_app wrote a stock level around the ledger with the backfill switch on';
  END IF;

  SET LOCAL ROLE supply_ledger_owner;
  UPDATE inventory.stock_level SET qty_on_hand = 5 WHERE id = probe_level;
  RESET ROLE;
END
$$;
