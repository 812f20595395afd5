/*
 * backfill_supplier_contacts: the seed's "supplier contact columns copied into supplier_contact".
 * Each supplier's contact_phone and contact_email are filled from its legacy phone and email
 * (trimmed, the email in lower case) where still empty, and a supplier with a phone or an email
 * gets one primary contact carrying them, unless it has a primary contact already. Then the
 * NOT VALID constraints of add_supplier_contacts are validated.
 *
 * The work is catalog.backfill_supplier_contacts(after_id, batch_size), one batch of suppliers by
 * id. This migration runs it to the end in batches of 1000. `npm run backfill -- supplier-contacts`
 * runs it again, each batch in its own transaction, for suppliers the previous application version
 * still writes with legacy fields only. It is idempotent: only empty fields and missing primary
 * contacts are filled.
 *
 * Locks: ROW EXCLUSIVE on catalog.supplier and catalog.supplier_contact, then SHARE UPDATE
 * EXCLUSIVE to validate. Expected runtime: about 5 s per 100,000 suppliers. Rollback: down.sql.
 * Checks: validate.sql (every supplier with contact details has exactly one primary contact,
 * no orphans).
 */

-- [CUSTOM_CHANGE_START] contact backfill
CREATE OR REPLACE FUNCTION catalog.backfill_supplier_contacts(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  upper_id bigint;
  details bigint;
  contacts bigint;
BEGIN
  SELECT max(id) INTO upper_id
    FROM (SELECT id FROM catalog.supplier WHERE id > after_id ORDER BY id LIMIT batch_size) AS batch;
  IF upper_id IS NULL THEN
    RETURN QUERY SELECT NULL::bigint, 0::bigint;
    RETURN;
  END IF;

  UPDATE catalog.supplier
     SET contact_phone = coalesce(contact_phone, nullif(btrim(phone), '')),
         contact_email = coalesce(contact_email, nullif(lower(btrim(email)), ''))
   WHERE id > after_id AND id <= upper_id
     AND (contact_phone IS NULL AND btrim(phone) <> '' OR contact_email IS NULL AND btrim(email) <> '');
  GET DIAGNOSTICS details = ROW_COUNT;

  INSERT INTO catalog.supplier_contact (supplier_id, name, role, email, phone, is_primary)
  SELECT s.id, s.name, 'main contact (from the supplier record)', s.contact_email, s.contact_phone, true
    FROM catalog.supplier s
   WHERE s.id > after_id AND s.id <= upper_id
     AND num_nonnulls(s.contact_email, s.contact_phone) > 0
     AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary);
  GET DIAGNOSTICS contacts = ROW_COUNT;

  RETURN QUERY SELECT upper_id, details + contacts;
END
$$;
COMMENT ON FUNCTION catalog.backfill_supplier_contacts(bigint, integer) IS
  'Supplier contact backfill, one batch: for suppliers with id in (after_id, next batch_size suppliers], fills contact_phone and contact_email from the legacy fields and adds a primary contact where missing. Returns the last id covered (NULL when none is left) and how many rows it wrote.';

DO $$
DECLARE
  cursor_id bigint := 0;
  batch record;
BEGIN
  LOOP
    SELECT * INTO batch FROM catalog.backfill_supplier_contacts(cursor_id, 1000);
    EXIT WHEN batch.last_id IS NULL;
    cursor_id := batch.last_id;
  END LOOP;
END
$$;

ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_payment_term_id_fkey";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_contact_email_format_check";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_website_format_check";
-- [CUSTOM_CHANGE_END]
