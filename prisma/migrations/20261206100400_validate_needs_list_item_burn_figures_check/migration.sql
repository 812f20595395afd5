-- validate_needs_list_item_burn_figures_check: validates the CHECK that
-- add_needs_list_expiry_and_claim_release added NOT VALID (issued_qty and stockout_hours not
-- negative). Lines written before it have both NULL, later ones were checked when written: the
-- scan finds nothing to refuse.
-- Locks: SHARE UPDATE EXCLUSIVE on replenishment.needs_list_item (reads and writes continue) for
-- one scan of the table: about a second per million lines. Rollback: down.sql (NOT VALID again).
-- Checks: validate.sql.
ALTER TABLE replenishment.needs_list_item VALIDATE CONSTRAINT needs_list_item_burn_figures_check;
