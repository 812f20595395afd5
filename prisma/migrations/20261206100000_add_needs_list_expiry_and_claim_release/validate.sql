-- Checks of add_needs_list_expiry_and_claim_release: the lines carry the burn figures, claims are
-- counted through find_open_claims (claimable is gone), compute_needs_list writes no
-- burn_rate_snapshot and nets expiring stock, v_stock_status reads the lines.
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_attribute WHERE attrelid = 'replenishment.needs_list_item'::regclass AND attname IN ('issued_qty', 'stockout_hours')
         AND NOT attisdropped) <> 2 THEN
    RAISE EXCEPTION 'add_needs_list_expiry_and_claim_release: needs_list_item.issued_qty or stockout_hours is missing';
  END IF;
  IF to_regprocedure('replenishment.find_open_claims(timestamptz)') IS NULL THEN
    RAISE EXCEPTION 'add_needs_list_expiry_and_claim_release: replenishment.find_open_claims is missing';
  END IF;
  IF to_regprocedure('replenishment.claimable(text, bigint, bigint, bigint)') IS NOT NULL THEN
    RAISE EXCEPTION 'add_needs_list_expiry_and_claim_release: replenishment.claimable still exists';
  END IF;
  IF (SELECT prosrc FROM pg_proc WHERE oid = 'replenishment.compute_needs_list(bigint, bigint, timestamptz, text)'::regprocedure) LIKE '%INSERT INTO replenishment.burn_rate_snapshot%'
     OR (SELECT prosrc FROM pg_proc WHERE oid = 'replenishment.compute_needs_list(bigint, bigint, timestamptz, text)'::regprocedure) NOT LIKE '%shelf_life_days%' THEN
    RAISE EXCEPTION 'add_needs_list_expiry_and_claim_release: compute_needs_list still writes burn_rate_snapshot rows or does not net expiring stock';
  END IF;
  IF pg_get_viewdef('replenishment.v_stock_status'::regclass) NOT LIKE '%needs_list_item%' THEN
    RAISE EXCEPTION 'add_needs_list_expiry_and_claim_release: v_stock_status does not read the needs-list lines';
  END IF;
END
$$;
