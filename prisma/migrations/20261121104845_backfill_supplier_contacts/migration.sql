/*
 * backfill_supplier_contacts: the batched backfill of the seed's "supplier contact columns copied
 * into supplier_contact" (seed 000, change 4). It installs the work; it does not run it.
 *
 * Each supplier's contact_phone and contact_email are filled from its legacy phone and email
 * (trimmed, the email in lower case) where still empty, and a supplier with a phone or an email
 * gets one primary contact carrying them, unless it has a primary contact already. It is
 * idempotent: only empty fields and missing primary contacts are filled.
 *
 * The work is catalog.backfill_supplier_contacts(after_id, batch_size), one batch of suppliers by
 * id. Expand → backfill → finalize (docs/CONVENTIONS.md, "Data backfills"; docs/operations.md
 * §6):
 * 1. add_supplier_contacts (expand): the contact columns, supplier_contact, payment_term, the
 *    foreign key and checks NOT VALID; add_supplier_payment_term_index.
 * 2. This migration, then the operator runs `npm run backfill -- supplier-contacts` while the
 *    application runs: each batch of 1000 suppliers is its own transaction.
 * 3. finalize_supplier_contacts: does whatever the backfill left (all of it, when it never ran)
 *    and validates the foreign key and checks of add_supplier_contacts.
 *
 * The batches run beside the application: a primary contact the application adds meanwhile is
 * kept (ON CONFLICT on the one-primary index) instead of failing the batch, and each batch is
 * planned anew (a plan cached while supplier_contact was empty scanned all of it for every later
 * batch, which made one transaction over 1,000,000 suppliers take 80-99 s on PostgreSQL 18).
 *
 * Why batched, measured at 1,000,000 suppliers (`npm run bench:backfill-locks`: phones and emails
 * typed loosely as in tests/migration-history/data, 93 in 100 with one or the other; 2026-12-01, a 2-core
 * noisy machine; PostgreSQL 18 / 15):
 * - Inside one deploy transaction, as finalize_supplier_contacts runs it when the backfill never
 *   ran (and as this migration used to, then 99 s on PostgreSQL 18): 41.2 / 35.7 s, every supplier
 *   with contact details row-locked until the commit; an application update of the first one
 *   waited 41.1 / 35.7 s. The small-table exception does not hold: suppliers grow with the
 *   business, not with the domain, and with the tenancy of issue 10 one table holds every client's.
 * - In batches of 1000: 1000 batches of 42 / 36 ms at p50, 60 / 45 ms at p95, 96 / 109 ms at
 *   most, 46 / 37 s in all; an application update of a supplier of the batch in progress waited
 *   at most 86 / 163 ms. finalize_supplier_contacts then takes 4.2 / 2.4 s and locks no supplier.
 *
 * Locks: none on data (a new function). Expected runtime: instant. Rollback: down.sql (keeps what
 * the backfill wrote in backup tables, then removes it). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] contact backfill
CREATE OR REPLACE FUNCTION catalog.backfill_supplier_contacts(after_id bigint, batch_size integer)
RETURNS TABLE (last_id bigint, changed bigint)
LANGUAGE plpgsql
VOLATILE
-- Planned for each batch: a plan cached when supplier_contact was empty scans all of it for every
-- batch once it has grown, which made a finalize that does the whole backfill in one transaction
-- quadratic (1,000,000 suppliers on PostgreSQL 18: 80-99 s, against 41-43 s planned per batch).
SET plan_cache_mode = force_custom_plan
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
     AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary)
   ORDER BY s.id
  -- The application may add a primary contact meanwhile: the batch keeps it instead of failing.
  ON CONFLICT (supplier_id) WHERE is_primary DO NOTHING;
  GET DIAGNOSTICS contacts = ROW_COUNT;

  RETURN QUERY SELECT upper_id, details + contacts;
END
$$;
COMMENT ON FUNCTION catalog.backfill_supplier_contacts(bigint, integer) IS
  'Supplier contact backfill, one batch: for suppliers with id in (after_id, next batch_size suppliers], fills contact_phone and contact_email from the legacy fields and adds a primary contact where missing. Returns the last id covered (NULL when none is left) and how many rows it wrote.';
-- [CUSTOM_CHANGE_END]
