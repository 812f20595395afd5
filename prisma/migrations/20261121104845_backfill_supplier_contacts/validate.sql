-- Checks of backfill_supplier_contacts: the batch function exists and does one batch right (probed
-- with writes: validate.sql always runs rolled back). Whether the backfill has run is
-- finalize_supplier_contacts' check.
DO $$
DECLARE
  probe_client bigint;
  probe bigint;
  batch record;
  supplier record;
  contact record;
BEGIN
  IF to_regprocedure('catalog.backfill_supplier_contacts(bigint,integer)') IS NULL THEN
    RAISE EXCEPTION 'backfill_supplier_contacts: catalog.backfill_supplier_contacts(bigint, integer) is missing';
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  -- One supplier with loose legacy details: the batch of just that supplier fills its contact fields and its primary contact.
  INSERT INTO catalog.supplier (code, name, phone, email) VALUES ('__validate__', 'Probe', ' 011 555 0000 ', ' Probe@Validate.example ')
  RETURNING id INTO probe;
  SELECT * INTO batch FROM catalog.backfill_supplier_contacts(probe - 1, 1);
  SELECT contact_phone, contact_email INTO supplier FROM catalog.supplier WHERE id = probe;
  SELECT count(*) AS n, max(phone) AS phone, max(email) AS email INTO contact FROM catalog.supplier_contact WHERE supplier_id = probe AND is_primary;
  IF batch.last_id IS DISTINCT FROM probe OR supplier.contact_phone IS DISTINCT FROM '011 555 0000' OR supplier.contact_email IS DISTINCT FROM 'probe@validate.example'
     OR contact.n <> 1 OR contact.phone IS DISTINCT FROM '011 555 0000' OR contact.email IS DISTINCT FROM 'probe@validate.example' THEN
    RAISE EXCEPTION 'backfill_supplier_contacts: a batch of one supplier left contact fields (%, %) and % primary contact(s) (%, %)',
      supplier.contact_phone, supplier.contact_email, contact.n, contact.phone, contact.email;
  END IF;
END
$$;
