-- Checks of validate_needs_list_item_burn_figures_check: the constraint is validated.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'replenishment.needs_list_item'::regclass
                   AND conname = 'needs_list_item_burn_figures_check' AND convalidated) THEN
    RAISE EXCEPTION 'validate_needs_list_item_burn_figures_check: needs_list_item_burn_figures_check is missing or not validated';
  END IF;
END
$$;
