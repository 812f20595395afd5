-- Checks of speed_up_carrier_event_ingest: shipment updates are audited once per statement (and
-- inserts and deletes per row), and the status trigger plans its shipment lookups by key.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = 'fulfillment.shipment'::regclass AND t.tgname = '_900_record_updates'
                    AND t.tgfoid = to_regprocedure('audit.tg__record_updates()') AND (t.tgtype & 1) = 0 AND (t.tgtype & 16) <> 0
                    AND t.tgoldtable = 'old_rows' AND t.tgnewtable = 'new_rows') THEN
    RAISE EXCEPTION 'speed_up_carrier_event_ingest: fulfillment.shipment has no statement-level UPDATE audit (_900_record_updates)';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = 'fulfillment.shipment'::regclass AND t.tgname = '_900_record_change'
                    AND (t.tgtype & 1) = 1 AND (t.tgtype & 4) <> 0 AND (t.tgtype & 8) <> 0 AND (t.tgtype & 16) = 0) THEN
    RAISE EXCEPTION 'speed_up_carrier_event_ingest: _900_record_change on fulfillment.shipment is not the row audit of INSERT and DELETE only';
  END IF;
  IF NOT coalesce((SELECT p.proconfig @> ARRAY['enable_hashjoin=off', 'enable_mergejoin=off', 'jit=off'] FROM pg_proc p
           WHERE p.oid = 'fulfillment.tg_carrier_event__advance_status()'::regprocedure), false) THEN
    RAISE EXCEPTION 'speed_up_carrier_event_ingest: tg_carrier_event__advance_status does not keep to lookups by key';
  END IF;
END
$$;
