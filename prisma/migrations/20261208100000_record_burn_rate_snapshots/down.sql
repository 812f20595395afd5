-- Rollback of record_burn_rate_snapshots: the trigger and its function. The snapshots it wrote stay
-- (history, as the rows from before add_needs_list_expiry_and_claim_release do).
DROP TRIGGER _500_record_burn_rate_snapshots ON replenishment.needs_list_item;
DROP FUNCTION replenishment.tg_needs_list_item__record_burn_rate_snapshots();
COMMENT ON TABLE replenishment.burn_rate_snapshot IS 'Burn rates (units per hour) computed from the ledger per product and warehouse, with the window, the stockout hours and the method.';
