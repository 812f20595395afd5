-- Checks of add_receive_transfer_function: the function exists, the read-only role may not call it,
-- and it finds a receipt by its exact key (no pattern over the ledger).
DO $$
BEGIN
  IF to_regprocedure('replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text)') IS NULL THEN
    RAISE EXCEPTION 'add_receive_transfer_function: replenishment.receive_transfer is missing';
  END IF;
  IF has_function_privilege('supply_ledger_readonly', 'replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'add_receive_transfer_function: supply_ledger_readonly may receive transfers';
  END IF;
  IF (SELECT prosrc FROM pg_proc WHERE oid = 'replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text)'::regprocedure) ILIKE '%LIKE %' THEN
    RAISE EXCEPTION 'add_receive_transfer_function: receive_transfer matches keys by pattern';
  END IF;
END
$$;
