-- Rollback of add_receive_transfer_function: the function (what it posted stays in the ledger and in
-- received_qty: history; receiveTransfer of this version needs it, an earlier version does not).
DROP FUNCTION replenishment.receive_transfer(bigint, bigint, numeric, text, timestamptz, text);
