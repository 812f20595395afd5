-- Rollback of backfill_supplier_contacts: keep what the backfill wrote, then remove the primary
-- contacts it made (role set by the backfill) and clear the contact fields it filled from the
-- legacy ones, and drop the batch function. The constraints are NOT VALID again already
-- (finalize_supplier_contacts' rollback), as add_supplier_contacts left them.
SELECT backup.preserve('catalog_supplier_contact_20261121104845', $$SELECT * FROM catalog.supplier_contact WHERE role = 'main contact (from the supplier record)'$$);
SELECT backup.preserve('catalog_supplier_contact_details_20261121104845', $$
  SELECT id AS supplier_id, contact_phone, contact_email FROM catalog.supplier WHERE num_nonnulls(contact_phone, contact_email) > 0
$$);

DELETE FROM catalog.supplier_contact WHERE role = 'main contact (from the supplier record)';
UPDATE catalog.supplier SET contact_phone = NULL WHERE contact_phone = nullif(btrim(phone), '');
UPDATE catalog.supplier SET contact_email = NULL WHERE contact_email = nullif(lower(btrim(email)), '');

DROP FUNCTION catalog.backfill_supplier_contacts(bigint, integer);
