-- Rollback of add_supplier_contacts: keep contacts, payment terms and the new contact details, then drop them.
SELECT backup.preserve('catalog_supplier_contact_20261121104843', 'SELECT * FROM catalog.supplier_contact');
SELECT backup.preserve('catalog_payment_term_20261121104843', 'SELECT * FROM catalog.payment_term');
SELECT backup.preserve('catalog_supplier_contact_details_20261121104843', $$
  SELECT id AS supplier_id, contact_phone, contact_email, website, payment_terms, payment_term_id
    FROM catalog.supplier
   WHERE num_nonnulls(contact_phone, contact_email, website, payment_terms, payment_term_id) > 0
$$);

DROP TABLE IF EXISTS catalog.supplier_contact;
ALTER TABLE catalog.supplier DROP CONSTRAINT IF EXISTS supplier_payment_term_id_fkey;
ALTER TABLE catalog.supplier DROP CONSTRAINT IF EXISTS supplier_contact_email_format_check;
ALTER TABLE catalog.supplier DROP CONSTRAINT IF EXISTS supplier_website_format_check;
DROP TABLE IF EXISTS catalog.payment_term;
COMMENT ON COLUMN catalog.supplier.phone IS NULL;
COMMENT ON COLUMN catalog.supplier.email IS NULL;
ALTER TABLE catalog.supplier
  DROP COLUMN IF EXISTS contact_phone,
  DROP COLUMN IF EXISTS contact_email,
  DROP COLUMN IF EXISTS website,
  DROP COLUMN IF EXISTS payment_terms,
  DROP COLUMN IF EXISTS payment_term_id;
