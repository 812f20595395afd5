/*
 * finalize_supplier_contacts: the last step of the supplier contact backfill (expand → backfill →
 * finalize, as GitLab finalizes a batched background migration): every supplier's legacy phone and
 * email are in its contact fields and its primary contact, then the NOT VALID foreign key and
 * checks of add_supplier_contacts are validated.
 *
 * Whatever the backfill of backfill_supplier_contacts has not done yet is done here, by the same
 * batch function, in the deploy's transaction: all of it when the operator never ran
 * `npm run backfill -- supplier-contacts`, or the suppliers an older application version wrote
 * with legacy fields only since the backfill ran. A deploy is therefore correct whether or not the
 * backfill ran; it only holds its row locks longer when it did not (figures below). The loop
 * jumps to the next supplier left to do, so a backfill that ran leaves one scan here.
 *
 * Locks: ROW EXCLUSIVE on catalog.supplier and catalog.supplier_contact, and a row lock on each
 * supplier it fills until the commit; SHARE UPDATE EXCLUSIVE on catalog.supplier to validate
 * (writes go on). Measured at 1,000,000 suppliers (`npm run bench:backfill-locks`, 93 in 100 with
 * a phone or an email; 2026-12-01, a 2-core noisy machine; PostgreSQL 18 / 15):
 * - After the backfill ran: 4.2 / 2.4 s (one scan, then the validations), no supplier locked; an
 *   application update of a supplier waited at most 10 / 9 ms.
 * - When it never ran: 43.5 / 35.4 s, every supplier with contact details row-locked until the
 *   commit; an application update of the first one waited 43.4 / 35.3 s. Run the backfill first
 *   (docs/operations.md §6): its batches lock a supplier for 42 / 36 ms at p50, 96 / 109 ms at most.
 *
 * Rollback: down.sql (the foreign key and checks back to NOT VALID; the contacts stay,
 * backfill_supplier_contacts' rollback removes them). Checks: validate.sql (every supplier with
 * contact details has exactly one primary contact, no orphans).
 */

-- [CUSTOM_CHANGE_START] finish the contact backfill, then validate
-- Prisma has no data migrations and no NOT VALID constraints to validate.
DO $$
DECLARE
  cursor_id bigint := 0;
  next_id bigint;
BEGIN
  LOOP
    SELECT min(s.id) INTO next_id
      FROM catalog.supplier s
     WHERE s.id > cursor_id
       AND (s.contact_phone IS NULL AND btrim(s.phone) <> ''
            OR s.contact_email IS NULL AND btrim(s.email) <> ''
            OR num_nonnulls(s.contact_email, s.contact_phone) > 0
               AND NOT EXISTS (SELECT 1 FROM catalog.supplier_contact c WHERE c.supplier_id = s.id AND c.is_primary));
    EXIT WHEN next_id IS NULL;
    SELECT last_id INTO cursor_id FROM catalog.backfill_supplier_contacts(next_id - 1, 1000);
  END LOOP;
END
$$;

ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_payment_term_id_fkey";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_contact_email_format_check";
ALTER TABLE "catalog"."supplier" VALIDATE CONSTRAINT "supplier_website_format_check";
-- [CUSTOM_CHANGE_END]
