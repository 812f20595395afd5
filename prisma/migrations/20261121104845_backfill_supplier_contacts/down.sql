-- Rollback of backfill_supplier_contacts: keep what it wrote, then remove the primary contacts it
-- made (role set by the backfill) and clear the contact fields it filled from the legacy ones;
-- the constraints go back to NOT VALID as add_supplier_contacts left them.
SELECT backup.preserve('catalog_supplier_contact_20261121104845', $$SELECT * FROM catalog.supplier_contact WHERE role = 'main contact (from the supplier record)'$$);
SELECT backup.preserve('catalog_supplier_contact_details_20261121104845', $$
  SELECT id AS supplier_id, contact_phone, contact_email FROM catalog.supplier WHERE num_nonnulls(contact_phone, contact_email) > 0
$$);

DELETE FROM catalog.supplier_contact WHERE role = 'main contact (from the supplier record)';
UPDATE catalog.supplier SET contact_phone = NULL WHERE contact_phone = nullif(btrim(phone), '');
UPDATE catalog.supplier SET contact_email = NULL WHERE contact_email = nullif(lower(btrim(email)), '');

ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_payment_term_id_fkey;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_payment_term_id_fkey FOREIGN KEY (payment_term_id) REFERENCES catalog.payment_term (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_contact_email_format_check;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_contact_email_format_check CHECK (contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$') NOT VALID;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_website_format_check;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_website_format_check CHECK (website ~* '^https?://') NOT VALID;

DROP FUNCTION IF EXISTS catalog.backfill_supplier_contacts(bigint, integer);
