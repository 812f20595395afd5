-- Checks of finalize_supplier_contacts.
DO $$
DECLARE
  wrong bigint;
BEGIN
  SELECT count(*) INTO wrong FROM pg_constraint WHERE conrelid = 'catalog.supplier'::regclass AND NOT convalidated;
  IF wrong > 0 THEN
    RAISE EXCEPTION 'finalize_supplier_contacts: % constraint(s) of catalog.supplier are not validated', wrong;
  END IF;

  SELECT count(*) INTO wrong FROM catalog.supplier
   WHERE contact_phone IS NULL AND btrim(phone) <> '' OR contact_email IS NULL AND btrim(email) <> '';
  IF wrong > 0 THEN
    RAISE EXCEPTION 'finalize_supplier_contacts: % supplier(s) still have legacy contact details only (run: npm run backfill -- supplier-contacts)', wrong;
  END IF;

  SELECT count(*) INTO wrong FROM catalog.supplier s
   WHERE num_nonnulls(s.contact_email, s.contact_phone) > 0
     AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary);
  IF wrong > 0 THEN
    RAISE EXCEPTION 'finalize_supplier_contacts: % supplier(s) with contact details have no primary contact', wrong;
  END IF;

  SELECT count(*) INTO wrong FROM catalog.supplier_contact c LEFT JOIN catalog.supplier s ON s.id = c.supplier_id WHERE s.id IS NULL;
  IF wrong > 0 THEN
    RAISE EXCEPTION 'finalize_supplier_contacts: % contact(s) without their supplier', wrong;
  END IF;
END
$$;
