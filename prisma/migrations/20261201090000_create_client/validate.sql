-- Checks of create_client: core.client exists with its case-insensitive unique code, the data
-- from before clients existed has its client, and the sequence numbers new clients after it
-- (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  probe bigint;
BEGIN
  IF to_regclass('core.client') IS NULL THEN
    RAISE EXCEPTION 'create_client: table core.client is missing';
  END IF;

  -- Until add_client_id gives the rows their client_id (and a foreign key to core.client), the
  -- data must have the client 1 it will take.
  IF NOT EXISTS (SELECT 1 FROM core.client WHERE id = 1)
     AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'catalog.product'::regclass AND attname = 'client_id' AND NOT attisdropped)
     AND (EXISTS (SELECT 1 FROM catalog.product) OR EXISTS (SELECT 1 FROM catalog.supplier) OR EXISTS (SELECT 1 FROM catalog.warehouse)
          OR EXISTS (SELECT 1 FROM inventory.stock_level) OR EXISTS (SELECT 1 FROM traceability.recipe) OR EXISTS (SELECT 1 FROM audit.audit_log)) THEN
    RAISE EXCEPTION 'create_client: the database holds data, but no client 1 (DEFAULT) for it to belong to';
  END IF;

  INSERT INTO core.client (code, name) VALUES ('__validate__', 'probe') RETURNING id INTO probe;
  IF probe <= coalesce((SELECT max(id) FROM core.client WHERE id <> probe), 0) THEN
    RAISE EXCEPTION 'create_client: a new client got id %, taken or below an existing one', probe;
  END IF;
  BEGIN
    INSERT INTO core.client (code, name) VALUES ('__VALIDATE__', 'probe');
    RAISE EXCEPTION 'create_client: client codes differing only in case were both accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
END
$$;
