-- Rollback of finalize_supplier_contacts: the foreign key and checks go back to NOT VALID, as
-- add_supplier_contacts left them. The contacts and contact fields stay: they may come from the
-- backfill the operator ran before this migration, and backfill_supplier_contacts' rollback keeps
-- them in backup tables and removes them.
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_payment_term_id_fkey;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_payment_term_id_fkey FOREIGN KEY (payment_term_id) REFERENCES catalog.payment_term (id) ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_contact_email_format_check;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_contact_email_format_check CHECK (contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$') NOT VALID;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_website_format_check;
ALTER TABLE catalog.supplier ADD CONSTRAINT supplier_website_format_check CHECK (website ~* '^https?://') NOT VALID;
