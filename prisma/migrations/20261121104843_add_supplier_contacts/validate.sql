-- Checks of add_supplier_contacts (probing with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  probe_client bigint;
  probe bigint;
BEGIN
  IF to_regclass('catalog.supplier_contact') IS NULL OR to_regclass('catalog.payment_term') IS NULL THEN
    RAISE EXCEPTION 'add_supplier_contacts: catalog.supplier_contact or catalog.payment_term is missing';
  END IF;
  IF to_regclass('catalog.supplier_contact_one_primary_key') IS NULL THEN
    RAISE EXCEPTION 'add_supplier_contacts: the one-primary-contact index is missing';
  END IF;

  -- Since create_client (issue 10) every row belongs to a client: the probes belong to one made for them.
  IF to_regclass('core.client') IS NOT NULL THEN
    INSERT INTO core.client (code, name) VALUES ('__validate__', 'validate probe') RETURNING id INTO probe_client;
    PERFORM set_config('app.client_id', probe_client::text, true);
  END IF;
  INSERT INTO catalog.supplier (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe;
  INSERT INTO catalog.supplier_contact (supplier_id, name, is_primary) VALUES (probe, 'first', true);
  INSERT INTO catalog.supplier_contact (supplier_id, name, is_primary) VALUES (probe, 'second', false);
  BEGIN
    INSERT INTO catalog.supplier_contact (supplier_id, name, is_primary) VALUES (probe, 'third', true);
    RAISE EXCEPTION 'add_supplier_contacts: a second primary contact was accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO catalog.payment_term (code, name, net_days, discount_percent) VALUES ('__validate__', 'probe', 30, 2);
    RAISE EXCEPTION 'add_supplier_contacts: a discount without discount days was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;
