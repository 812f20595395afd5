-- Checks of add_stock_movement_client_id_product_id_occurred_at_index: the index exists, is valid, and
-- holds (client_id, product_id, occurred_at, movement_type, quantity) in that order.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_index i
     WHERE i.indexrelid = to_regclass('inventory.stock_movement_client_id_product_id_occurred_at_idx')
       AND i.indisvalid
       AND i.indrelid = 'inventory.stock_movement'::regclass
       AND i.indkey::text = (SELECT string_agg(a.attnum::text, ' ' ORDER BY k.n)
                               FROM unnest(ARRAY['client_id', 'product_id', 'occurred_at', 'movement_type', 'quantity']) WITH ORDINALITY k(name, n)
                               JOIN pg_attribute a ON a.attrelid = 'inventory.stock_movement'::regclass AND a.attname = k.name)
  ) THEN
    RAISE EXCEPTION 'add_stock_movement_client_id_product_id_occurred_at_index: inventory.stock_movement_client_id_product_id_occurred_at_idx is missing, invalid or not on (client_id, product_id, occurred_at, movement_type, quantity)';
  END IF;
END
$$;
