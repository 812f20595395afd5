-- Checks of record_burn_rate_snapshots: the trigger exists, is enabled and fires after each INSERT
-- statement on needs_list_item, through its function.
DO $$
BEGIN
  IF to_regprocedure('replenishment.tg_needs_list_item__record_burn_rate_snapshots()') IS NULL THEN
    RAISE EXCEPTION 'record_burn_rate_snapshots: replenishment.tg_needs_list_item__record_burn_rate_snapshots is missing';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger
                  WHERE tgrelid = 'replenishment.needs_list_item'::regclass AND tgname = '_500_record_burn_rate_snapshots'
                    AND tgenabled = 'O' AND tgfoid = to_regprocedure('replenishment.tg_needs_list_item__record_burn_rate_snapshots()')
                    AND (tgtype & 1) = 0 AND (tgtype & 4) <> 0) THEN
    RAISE EXCEPTION 'record_burn_rate_snapshots: _500_record_burn_rate_snapshots is missing, disabled, or not AFTER INSERT FOR EACH STATEMENT';
  END IF;
END
$$;
