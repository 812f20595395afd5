-- Rollback of validate_needs_list_item_burn_figures_check: the constraint NOT VALID again, as
-- add_needs_list_expiry_and_claim_release left it (a constraint cannot be marked so in place).
ALTER TABLE replenishment.needs_list_item DROP CONSTRAINT needs_list_item_burn_figures_check;
ALTER TABLE replenishment.needs_list_item ADD CONSTRAINT needs_list_item_burn_figures_check CHECK (issued_qty >= 0 AND stockout_hours >= 0) NOT VALID;
