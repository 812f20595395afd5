/*
 * add_supplier_contacts: the seed's supplier contact columns (seed 000, change 4 "Supplier
 * Contacts": contact_phone, contact_email, website, payment_terms), plus supplier_contact (at
 * most one primary contact per supplier, enforced by a partial unique index) and payment_term.
 *
 * Expand only: the legacy phone and email columns stay. add_supplier_payment_term_index builds
 * the index behind payment_term_id without blocking writes, and backfill_supplier_contacts fills
 * the new columns and the primary contacts from the legacy ones.
 *
 * Locks: ACCESS EXCLUSIVE on catalog.supplier for a moment (nullable columns, NOT VALID foreign
 * key and checks: no scan). Expected runtime: instant. Rollback: down.sql (keeps contacts and
 * contact details in backup tables). Checks: validate.sql.
 */

-- AlterTable
ALTER TABLE "catalog"."supplier" ADD COLUMN     "contact_email" TEXT,
ADD COLUMN     "contact_phone" TEXT,
ADD COLUMN     "payment_term_id" BIGINT,
ADD COLUMN     "payment_terms" TEXT,
ADD COLUMN     "website" TEXT;
-- CreateTable
CREATE TABLE "catalog"."supplier_contact" (
    "id" BIGSERIAL NOT NULL,
    "supplier_id" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "supplier_contact_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "catalog"."payment_term" (
    "id" BIGSERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "net_days" INTEGER NOT NULL,
    "discount_percent" DECIMAL(5,2),
    "discount_days" INTEGER,
    "prepayment_percent" DECIMAL(5,2),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_term_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "supplier_contact_supplier_id_idx" ON "catalog"."supplier_contact"("supplier_id");
-- CreateIndex
CREATE UNIQUE INDEX "payment_term_code_key" ON "catalog"."payment_term"("code");
-- AddForeignKey
-- [CUSTOM_CHANGE_START] NOT VALID foreign key
-- NOT VALID: every supplier has payment_term_id NULL now. backfill_supplier_contacts validates it.
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_payment_term_id_fkey" FOREIGN KEY ("payment_term_id") REFERENCES "catalog"."payment_term"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
-- [CUSTOM_CHANGE_END]
-- AddForeignKey
ALTER TABLE "catalog"."supplier_contact" ADD CONSTRAINT "supplier_contact_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "catalog"."supplier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- [CUSTOM_CHANGE_START] contact rules
-- Prisma has no partial indexes it would keep or CHECK constraints.
CREATE UNIQUE INDEX "supplier_contact_one_primary_key" ON "catalog"."supplier_contact"("supplier_id") WHERE is_primary;

ALTER TABLE "catalog"."supplier_contact" ADD CONSTRAINT "supplier_contact_email_format_check" CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$');
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_contact_email_format_check" CHECK (contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$') NOT VALID;
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_website_format_check" CHECK (website ~* '^https?://') NOT VALID;

ALTER TABLE "catalog"."payment_term" ADD CONSTRAINT "payment_term_net_days_not_negative_check" CHECK (net_days >= 0);
ALTER TABLE "catalog"."payment_term" ADD CONSTRAINT "payment_term_discount_check" CHECK (
  (discount_percent IS NULL) = (discount_days IS NULL)
  AND discount_percent > 0 AND discount_percent < 100
  AND discount_days >= 0 AND discount_days <= net_days
);
ALTER TABLE "catalog"."payment_term" ADD CONSTRAINT "payment_term_prepayment_check" CHECK (prepayment_percent >= 0 AND prepayment_percent <= 100);

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."supplier_contact"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "catalog"."payment_term"
  FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();

COMMENT ON TABLE "catalog"."supplier_contact" IS 'People to talk to at a supplier. At most one per supplier is primary (supplier_contact_one_primary_key).';
COMMENT ON TABLE "catalog"."payment_term" IS 'Payment terms agreed with suppliers: net days, optional early-payment discount, optional prepayment.';
COMMENT ON COLUMN "catalog"."supplier"."phone" IS 'Legacy phone: kept until the contact backfill is verified, then dropped.';
COMMENT ON COLUMN "catalog"."supplier"."email" IS 'Legacy email: kept until the contact backfill is verified, then dropped.';
-- [CUSTOM_CHANGE_END]
