-- Rollback of add_relief_receipt_functions: the two functions (what they posted stays in the ledger
-- and in received_qty: history).
DROP FUNCTION replenishment.receive_donation(bigint, bigint, numeric, text, timestamptz, text, bigint);
DROP FUNCTION replenishment.receive_procurement(bigint, bigint, numeric, text, timestamptz, text, numeric);
