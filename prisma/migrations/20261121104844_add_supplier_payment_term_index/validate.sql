-- Checks of add_supplier_payment_term_index: the index exists and is valid.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('catalog.supplier_payment_term_id_idx') AND indisvalid) THEN
    RAISE EXCEPTION 'add_supplier_payment_term_index: catalog.supplier_payment_term_id_idx is missing or invalid';
  END IF;
END
$$;
