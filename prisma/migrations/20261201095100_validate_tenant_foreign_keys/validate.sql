-- Checks of validate_tenant_foreign_keys: every foreign key of a tenant table (to core.client, and
-- between tenant tables) is validated: every existing row refers to a row of its own client.
DO $$
DECLARE
  wrong text;
BEGIN
  SELECT string_agg(k.conname, ', ' ORDER BY k.conname) INTO wrong
    FROM pg_constraint k
   WHERE k.contype = 'f' AND NOT k.convalidated
     AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attname = 'client_id' AND NOT a.attisdropped);
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'validate_tenant_foreign_keys: foreign keys not validated: %', wrong;
  END IF;
END
$$;
