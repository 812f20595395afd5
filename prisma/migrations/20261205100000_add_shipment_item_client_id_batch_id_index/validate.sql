-- Checks of add_shipment_item_client_id_batch_id_index: a valid index on fulfillment.shipment_item (client_id, batch_id).
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indrelid = 'fulfillment.shipment_item'::regclass AND i.indisvalid AND pg_get_expr(i.indpred, i.indrelid) IS NULL
       AND ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, position)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.position) = ARRAY['client_id', 'batch_id']
  ) THEN
    RAISE EXCEPTION 'add_shipment_item_client_id_batch_id_index: no valid index on fulfillment.shipment_item (client_id, batch_id)';
  END IF;
END
$$;
