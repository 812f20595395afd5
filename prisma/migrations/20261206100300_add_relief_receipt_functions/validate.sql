-- Checks of add_relief_receipt_functions: both receipt functions exist, and the read-only role may not call them.
DO $$
BEGIN
  IF to_regprocedure('replenishment.receive_procurement(bigint, bigint, numeric, text, timestamptz, text, numeric)') IS NULL
     OR to_regprocedure('replenishment.receive_donation(bigint, bigint, numeric, text, timestamptz, text, bigint)') IS NULL THEN
    RAISE EXCEPTION 'add_relief_receipt_functions: replenishment.receive_procurement or receive_donation is missing';
  END IF;
  IF has_function_privilege('supply_ledger_readonly', 'replenishment.receive_procurement(bigint, bigint, numeric, text, timestamptz, text, numeric)', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_relief_receipt_functions: supply_ledger_readonly may receive procurements';
  END IF;
END
$$;
